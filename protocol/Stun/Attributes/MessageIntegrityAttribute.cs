using System.Security.Cryptography;

namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>
/// MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1. Matchmaker signs with SHA-256; this one exists to
/// interoperate with classic STUN agents and to check the RFC 5769 test vectors.
/// </summary>
public static class MessageIntegrityAttribute
{
    public const int ValueLength = 20;

    public static void AppendMessageIntegrity(this ref StunMessageWriter writer, scoped ReadOnlySpan<byte> key)
    {
        var offset = writer.Length;
        var value = writer.Append(StunAttributeType.MessageIntegrity, ValueLength);
        MessageIntegrityCalculator.Compute(HashAlgorithmName.SHA1, key, writer.Written, offset, ValueLength, value);
    }

    public static bool HasValidMessageIntegrity(this StunMessage message, ReadOnlySpan<byte> key) =>
        message.TryGetAttribute(StunAttributeType.MessageIntegrity, out StunAttribute attribute)
        && attribute.Value.Length == ValueLength
        && MessageIntegrityCalculator.Verify(HashAlgorithmName.SHA1, key, message.Buffer, attribute, ValueLength);
}
