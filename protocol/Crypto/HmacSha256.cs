using System.Security.Cryptography;

namespace Matchmaker.Protocol.Crypto;

/// <summary>
/// HMAC-SHA256 (RFC 2104) computed over one SHA-256 context kept per thread, equal byte for byte to
/// <see cref="HMACSHA256.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>.
/// </summary>
/// <remarks>
/// The one-shot library call creates and keys a new OpenSSL context every time, looking the algorithm up under a
/// process-wide lock: about 1.4 µs for a heartbeat-sized message against 0.9 µs here (bench/README.md,
/// micro-benchmarks). A gateway computes three per heartbeat (the player's key, the request's MAC, the reply's),
/// and on one node at 67,000 heartbeats a second the difference is a tenth of a core.
/// </remarks>
public static class HmacSha256
{
    public const int HashLength = HMACSHA256.HashSizeInBytes;
    private const int BlockLength = 64;
    private const byte InnerPad = 0x36;
    private const byte OuterPad = 0x5c;

    /// <summary>Inputs up to this long go to the hash in one piece with the key block, one native call fewer.</summary>
    private const int JoinedInputLimit = 512;

    [ThreadStatic]
    private static IncrementalHash? _sha256;

    /// <summary>Writes HMAC-SHA256(<paramref name="key"/>, <paramref name="data"/>) to the first 32 bytes of <paramref name="destination"/>.</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        // Checked before anything reaches the per-thread context, which must never be left holding a half-hashed input.
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HashLength, nameof(destination));
        var sha256 = _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        // RFC 2104 §2: a key longer than the block is replaced by its hash.
        Span<byte> hashedKey = stackalloc byte[HashLength];
        scoped var blockKey = key;
        if (key.Length > BlockLength)
        {
            SHA256.HashData(key, hashedKey);
            blockKey = hashedKey;
        }

        Span<byte> joined = stackalloc byte[BlockLength + JoinedInputLimit];
        var block = joined[..BlockLength];
        Pad(blockKey, InnerPad, block);
        if (data.Length <= JoinedInputLimit)
        {
            data.CopyTo(joined[BlockLength..]);
            sha256.AppendData(joined[..(BlockLength + data.Length)]);
        }
        else
        {
            sha256.AppendData(block);
            sha256.AppendData(data);
        }

        Span<byte> inner = stackalloc byte[HashLength];
        sha256.GetHashAndReset(inner);

        Pad(blockKey, OuterPad, block);
        inner.CopyTo(joined[BlockLength..]);
        sha256.AppendData(joined[..(BlockLength + HashLength)]);
        sha256.GetHashAndReset(destination[..HashLength]);
    }

    /// <summary>The key, zero-filled to a block, XORed with the pad byte.</summary>
    private static void Pad(ReadOnlySpan<byte> key, byte pad, Span<byte> block)
    {
        block.Fill(pad);
        for (var i = 0; i < key.Length; i++)
        {
            block[i] ^= key[i];
        }
    }
}
