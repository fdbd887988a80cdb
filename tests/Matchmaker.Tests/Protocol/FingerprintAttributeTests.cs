using CsCheck;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message so far XOR 0x5354554E, always last.</summary>
public sealed class FingerprintAttributeTests
{
    [Fact]
    public void Crc32_matches_the_ISO_3309_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void Fingerprint_is_the_CRC_32_of_the_preceding_bytes_xor_STUN()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
        {
            writer.AppendUInt32(StunAttributeType.Lifetime, 5);
            writer.AppendFingerprint();
        });

        var value = StunTestMessages.AttributesOf(bytes)[^1].Value;
        var expected = Crc32.Compute(bytes.AsSpan(0, bytes.Length - 8)) ^ 0x5354554Eu;
        Assert.Equal(expected, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(value));
        Assert.Equal(bytes.Length - StunHeader.Length, (bytes[2] << 8) | bytes[3]);
    }

    [Fact]
    public void Any_written_message_with_fingerprint_has_a_valid_fingerprint()
    {
        Gen.Select(StunGen.MessageType, StunGen.TransactionId, StunGen.RawAttributes).Sample((type, transactionId, attributes) =>
        {
            var bytes = StunTestMessages.Build(type, transactionId, (ref StunMessageWriter writer) =>
            {
                foreach (var (attributeType, value) in attributes)
                {
                    writer.Append(attributeType, value);
                }

                writer.AppendFingerprint();
            });
            var message = StunTestMessages.Parse(bytes);

            Assert.True(message.HasAttribute(StunAttributeType.Fingerprint));
            Assert.True(message.FingerprintIsValidOrAbsent());
        }, iter: 1000);
    }

    [Fact]
    public void Every_bit_flip_is_rejected_by_the_parser_or_breaks_the_fingerprint()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
        {
            writer.AppendString(StunAttributeType.LobbyName, "fingerprinted", 64);
            writer.AppendFingerprint();
        });

        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            if (StunMessage.TryParse(StunTestMessages.FlipBit(bytes, bit), out var message) == StunParseStatus.Ok)
            {
                Assert.False(message.HasAttribute(StunAttributeType.Fingerprint) && message.FingerprintIsValidOrAbsent(), $"bit {bit}");
            }
        }
    }

    [Fact]
    public void Message_without_fingerprint_counts_as_valid()
    {
        var message = StunTestMessages.Parse(StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendUInt32(StunAttributeType.Lifetime, 1)));

        Assert.True(message.FingerprintIsValidOrAbsent());
    }

    [Fact]
    public void Fingerprint_of_the_wrong_length_is_invalid()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.Append(StunAttributeType.Fingerprint, new byte[8]));

        Assert.False(StunTestMessages.Parse(bytes).FingerprintIsValidOrAbsent());
    }

    [Fact]
    public void An_attribute_after_the_fingerprint_makes_the_message_malformed()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
        {
            writer.AppendFingerprint();
            writer.AppendUInt32(StunAttributeType.Lifetime, 1);
        });

        Assert.Equal(StunParseStatus.AttributeAfterFingerprint, StunMessage.TryParse(bytes, out _));
    }
}
