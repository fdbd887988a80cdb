using CsCheck;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1, kept for classic STUN agents.</summary>
public sealed class MessageIntegrityTests
{
    [Fact]
    public void Signed_message_verifies_with_its_key_and_not_with_another()
    {
        Gen.Select(StunGen.RawAttributes, Gen.Byte.Array[1, 64]).Sample((attributes, key) =>
        {
            var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
            {
                foreach (var (type, value) in attributes)
                {
                    writer.Append(type, value);
                }

                writer.AppendMessageIntegrity(key);
            });
            var message = StunTestMessages.Parse(bytes);
            var otherKey = (byte[])key.Clone();
            otherKey[0] ^= 0x80;

            Assert.True(message.HasValidMessageIntegrity(key));
            Assert.False(message.HasValidMessageIntegrity(otherKey));
        }, iter: 500);
    }

    [Fact]
    public void Appending_fingerprint_after_integrity_keeps_integrity_valid()
    {
        var key = Rfc5769.ShortTermKey;
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
        {
            writer.AppendString(StunAttributeType.Username, Rfc5769.Username, 513);
            writer.AppendMessageIntegrity(key);
            writer.AppendFingerprint();
        });
        var message = StunTestMessages.Parse(bytes);

        Assert.True(message.HasValidMessageIntegrity(key));
        Assert.True(message.HasAttribute(StunAttributeType.Fingerprint));
        Assert.True(message.FingerprintIsValidOrAbsent());
    }

    [Fact]
    public void Integrity_of_the_wrong_length_is_refused()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.Append(StunAttributeType.MessageIntegrity, new byte[16]));

        Assert.False(StunTestMessages.Parse(bytes).HasValidMessageIntegrity(Rfc5769.ShortTermKey));
    }

    [Fact]
    public void Message_without_integrity_is_not_valid()
    {
        var message = StunTestMessages.Parse(StunTestMessages.Build((ref StunMessageWriter _) => { }));

        Assert.False(message.HasValidMessageIntegrity(Rfc5769.ShortTermKey));
    }

    [Fact]
    public void Integrity_over_a_message_longer_than_the_stack_buffer_verifies()
    {
        var key = Rfc5769.ShortTermKey;
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
        {
            writer.Append(StunAttributeType.Payload, new byte[3000]);
            writer.AppendMessageIntegrity(key);
            writer.AppendMessageIntegritySha256(key);
        });
        var message = StunTestMessages.Parse(bytes);

        Assert.True(message.HasValidMessageIntegrity(key));
        Assert.True(message.HasValidMessageIntegritySha256(key));
    }
}
