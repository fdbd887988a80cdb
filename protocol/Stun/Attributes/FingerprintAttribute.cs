using System.Buffers.Binary;

namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>
/// FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to this attribute, XORed with 0x5354554E,
/// computed with the header length already counting the fingerprint. Always the last attribute.
/// </summary>
public static class FingerprintAttribute
{
    public const int ValueLength = 4;
    private const uint Xor = 0x5354554E;

    public static void AppendFingerprint(this ref StunMessageWriter writer)
    {
        var value = writer.Append(StunAttributeType.Fingerprint, ValueLength);
        var covered = writer.Written[..(writer.Length - StunAttributeLayout.PaddedLength(ValueLength))];
        BinaryPrimitives.WriteUInt32BigEndian(value, Crc32.Compute(covered) ^ Xor);
    }

    /// <summary>True when there is no fingerprint, or when it matches; false only for a wrong one.</summary>
    public static bool FingerprintIsValidOrAbsent(this StunMessage message)
    {
        if (!message.TryGetAttribute(StunAttributeType.Fingerprint, out StunAttribute attribute))
        {
            return true;
        }

        if (attribute.Value.Length != ValueLength)
        {
            return false;
        }

        var expected = Crc32.Compute(message.Buffer[..attribute.Offset]) ^ Xor;
        return BinaryPrimitives.ReadUInt32BigEndian(attribute.Value) == expected;
    }
}
