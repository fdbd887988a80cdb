using System.Buffers.Binary;
using Matchmaker.Protocol.Crypto;

namespace Matchmaker.Protocol.Relay;

/// <summary>
/// One side of a relay allocation, as the cluster issues it and the relay node checks it. The token is
/// public (it travels in the clear in every bind); what makes it unforgeable is its key,
/// HMAC-SHA256(node secret, "relay-key" ‖ token): only the node and the cluster know the secret, the
/// player gets the key sealed in its introduction, and a bind counts only if its MESSAGE-INTEGRITY-SHA256
/// verifies under that key. So the node needs no table of reservations: the token carries everything.
/// </summary>
/// <remarks>Layout (32 bytes): version(1) side(1) reserved(2) expires-at unix seconds(4) player tag(8) allocation id(16).</remarks>
public readonly record struct RelayToken(Guid AllocationId, byte Side, uint ExpiresAtUnixSeconds, ulong PlayerTag)
{
    public const int Length = 32;
    public const int KeyLength = 32;
    private const byte Version = 1;

    private static ReadOnlySpan<byte> KeyLabel => "relay-key"u8;

    /// <summary>A player id folded to 64 bits: enough to count allocations per player without carrying the id.</summary>
    public static ulong TagOf(Guid playerId)
    {
        Span<byte> bytes = stackalloc byte[16];
        playerId.TryWriteBytes(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
    }

    public void Write(Span<byte> destination)
    {
        destination[..Length].Clear();
        destination[0] = Version;
        destination[1] = Side;
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ExpiresAtUnixSeconds);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], PlayerTag);
        AllocationId.TryWriteBytes(destination[16..], bigEndian: true, out _);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        Write(bytes);
        return bytes;
    }

    /// <summary>Structure only: a token that parses is not yet trusted — its key proves that.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out RelayToken token)
    {
        token = default;
        if (source.Length != Length || source[0] != Version || source[1] > 1 || source[2] != 0 || source[3] != 0)
        {
            return false;
        }

        token = new RelayToken(
            new Guid(source[16..32], bigEndian: true),
            source[1],
            BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[8..]));
        return true;
    }

    public static void DeriveKey(ReadOnlySpan<byte> nodeSecret, ReadOnlySpan<byte> token, Span<byte> key)
    {
        Span<byte> input = stackalloc byte[9 + Length];
        KeyLabel.CopyTo(input);
        token.CopyTo(input[KeyLabel.Length..]);
        HmacSha256.Compute(nodeSecret, input[..(KeyLabel.Length + token.Length)], key);
    }

    public static byte[] DeriveKey(ReadOnlySpan<byte> nodeSecret, ReadOnlySpan<byte> token)
    {
        var key = new byte[KeyLength];
        DeriveKey(nodeSecret, token, key);
        return key;
    }
}
