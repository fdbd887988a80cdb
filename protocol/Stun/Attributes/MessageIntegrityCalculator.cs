using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Matchmaker.Protocol.Crypto;

namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>
/// The HMAC input shared by MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.5–14.6): the
/// message up to the attribute, with the header length rewritten to end just after the attribute.
/// </summary>
internal static class MessageIntegrityCalculator
{
    private const int StackLimit = 1536;

    public static void Compute(HashAlgorithmName algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, int attributeOffset, int attributeValueLength, Span<byte> destination)
    {
        byte[]? rented = null;
        var covered = attributeOffset <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(attributeOffset));
        try
        {
            var input = covered[..attributeOffset];
            message[..attributeOffset].CopyTo(input);
            var adjusted = attributeOffset + StunAttributeLayout.PaddedLength(attributeValueLength) - StunHeader.Length;
            BinaryPrimitives.WriteUInt16BigEndian(input[2..], (ushort)adjusted);
            if (algorithm == HashAlgorithmName.SHA1)
            {
                // RFC 5769 vectors and classic STUN agents use SHA-1; Matchmaker's own traffic uses SHA-256.
#pragma warning disable CA5350
                HMACSHA1.HashData(key, input, destination);
#pragma warning restore CA5350
            }
            else
            {
                HmacSha256.Compute(key, input, destination);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static bool Verify(HashAlgorithmName algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, StunAttribute attribute, int fullLength)
    {
        if (attribute.Value.Length < 16 || attribute.Value.Length > fullLength)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[32];
        Compute(algorithm, key, message, attribute.Offset, attribute.Value.Length, mac[..fullLength]);
        return CryptographicOperations.FixedTimeEquals(mac[..attribute.Value.Length], attribute.Value);
    }
}
