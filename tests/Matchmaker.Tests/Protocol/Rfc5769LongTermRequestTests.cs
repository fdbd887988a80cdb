using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>RFC 5769 §2.4: the sample request with a long-term credential (MD5 key, no FINGERPRINT).</summary>
public sealed class Rfc5769LongTermRequestTests
{
    [Fact]
    public void Long_term_request_carries_username_nonce_and_realm()
    {
        var message = StunTestMessages.Parse(Rfc5769.SampleLongTermRequest);

        Assert.Equal(new StunMessageType(StunMethods.Binding, StunClass.Request), message.Type);
        Assert.True(message.TryGetString(StunAttributeType.Username, 513, out var username));
        Assert.Equal(Rfc5769.LongTermUsername, username);
        Assert.True(message.TryGetString(StunAttributeType.Nonce, 763, out var nonce));
        Assert.Equal(Rfc5769.LongTermNonce, nonce);
        Assert.True(message.TryGetString(StunAttributeType.Realm, 763, out var realm));
        Assert.Equal(Rfc5769.LongTermRealm, realm);
    }

    [Fact]
    public void Message_integrity_of_the_long_term_request_is_valid_with_the_MD5_key()
    {
        var message = StunTestMessages.Parse(Rfc5769.SampleLongTermRequest);

        Assert.True(message.HasValidMessageIntegrity(Rfc5769.LongTermKey));
        Assert.False(message.HasValidMessageIntegrity(Rfc5769.ShortTermKey));
    }

    [Fact]
    public void Long_term_request_has_no_fingerprint_and_that_counts_as_valid()
    {
        var message = StunTestMessages.Parse(Rfc5769.SampleLongTermRequest);

        Assert.False(message.HasAttribute(StunAttributeType.Fingerprint));
        Assert.True(message.FingerprintIsValidOrAbsent());
    }

    [Fact]
    public void Writer_reproduces_the_long_term_request_byte_for_byte()
    {
        // Section 2.4 pads with zeros, as the writer does, so no patching is needed.
        var bytes = StunTestMessages.Build(new StunMessageType(StunMethods.Binding, StunClass.Request), Rfc5769.SampleLongTermRequest.AsSpan(8, 12), (ref StunMessageWriter writer) =>
        {
            writer.AppendString(StunAttributeType.Username, Rfc5769.LongTermUsername, 513);
            writer.AppendString(StunAttributeType.Nonce, Rfc5769.LongTermNonce, 763);
            writer.AppendString(StunAttributeType.Realm, Rfc5769.LongTermRealm, 763);
            writer.AppendMessageIntegrity(Rfc5769.LongTermKey);
        });

        Assert.Equal(Rfc5769.SampleLongTermRequest, bytes);
    }
}
