using System.Security.Cryptography;

namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>
/// MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6): HMAC-SHA256 over the message so far. Matchmaker uses it
/// with the per-player key issued at registration, and with the introduction secret between peers.
/// </summary>
public static class MessageIntegritySha256Attribute
{
    public const int ValueLength = 32;

    public static void AppendMessageIntegritySha256(this ref StunMessageWriter writer, scoped ReadOnlySpan<byte> key)
    {
        var offset = writer.Length;
        var value = writer.Append(StunAttributeType.MessageIntegritySha256, ValueLength);
        MessageIntegrityCalculator.Compute(HashAlgorithmName.SHA256, key, writer.Written, offset, ValueLength, value);
    }

    /// <summary>RFC 8489 §14.6 allows truncation to 16 bytes; anything shorter is refused.</summary>
    public static bool HasValidMessageIntegritySha256(this StunMessage message, ReadOnlySpan<byte> key) =>
        message.TryGetAttribute(StunAttributeType.MessageIntegritySha256, out StunAttribute attribute)
        && attribute.Value.Length % 4 == 0
        && MessageIntegrityCalculator.Verify(HashAlgorithmName.SHA256, key, message.Buffer, attribute, ValueLength);
}
