using System.Buffers.Binary;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>RFC 5769 §2.1: the sample Binding request with a short-term credential.</summary>
public sealed class Rfc5769SampleRequestTests
{
    private const ushort Priority = 0x0024;
    private const ushort IceControlled = 0x8029;

    [Fact]
    public void Sample_request_parses_as_a_binding_request()
    {
        var vector = Rfc5769.SampleRequest;
        var message = StunTestMessages.Parse(vector);

        Assert.Equal(108, vector.Length);
        Assert.Equal(new StunMessageType(StunMethods.Binding, StunClass.Request), message.Type);
        Assert.Equal(Rfc5769.TransactionId, message.TransactionId.ToArray());
        Assert.Equal(
            [StunAttributeType.Software, Priority, IceControlled, StunAttributeType.Username, StunAttributeType.MessageIntegrity, StunAttributeType.Fingerprint],
            StunTestMessages.AttributesOf(vector).Select(a => a.Type));
    }

    [Fact]
    public void Sample_request_carries_software_priority_ice_controlled_and_username()
    {
        var message = StunTestMessages.Parse(Rfc5769.SampleRequest);

        Assert.True(message.TryGetString(StunAttributeType.Software, 763, out var software));
        Assert.Equal("STUN test client", software);
        Assert.True(message.TryGetUInt32(Priority, out var priority));
        Assert.Equal(0x6E0001FFu, priority);
        Assert.True(message.TryGetAttribute(IceControlled, out ReadOnlySpan<byte> tieBreaker));
        Assert.Equal(0x932FF9B151263B36ul, BinaryPrimitives.ReadUInt64BigEndian(tieBreaker));
        Assert.True(message.TryGetString(StunAttributeType.Username, 513, out var username));
        Assert.Equal(Rfc5769.Username, username);
    }

    [Fact]
    public void Message_integrity_of_RFC_5769_request_is_valid_with_the_password_as_key()
    {
        var message = StunTestMessages.Parse(Rfc5769.SampleRequest);

        Assert.True(message.HasValidMessageIntegrity(Rfc5769.ShortTermKey));
    }

    [Fact]
    public void Message_integrity_of_RFC_5769_request_is_invalid_with_another_password()
    {
        var message = StunTestMessages.Parse(Rfc5769.SampleRequest);

        Assert.False(message.HasValidMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBT"u8));
        Assert.False(message.HasValidMessageIntegrity(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Fingerprint_of_RFC_5769_request_is_valid()
    {
        var message = StunTestMessages.Parse(Rfc5769.SampleRequest);

        Assert.True(message.HasAttribute(StunAttributeType.Fingerprint));
        Assert.True(message.FingerprintIsValidOrAbsent());
    }

    [Fact]
    public void A_one_bit_flip_in_the_username_breaks_integrity_and_fingerprint()
    {
        var vector = Rfc5769.SampleRequest;
        var usernameValue = StunTestMessages.OffsetOf(vector, StunAttributeType.Username) + StunAttributeLayout.HeaderLength;

        var message = StunTestMessages.Parse(StunTestMessages.FlipBit(vector, usernameValue * 8));

        Assert.False(message.HasValidMessageIntegrity(Rfc5769.ShortTermKey));
        Assert.False(message.FingerprintIsValidOrAbsent());
    }

    [Fact]
    public void A_one_bit_flip_in_the_fingerprint_breaks_the_fingerprint_but_not_integrity()
    {
        var vector = Rfc5769.SampleRequest;
        var fingerprintValue = StunTestMessages.OffsetOf(vector, StunAttributeType.Fingerprint) + StunAttributeLayout.HeaderLength;

        for (var bit = fingerprintValue * 8; bit < vector.Length * 8; bit++)
        {
            var message = StunTestMessages.Parse(StunTestMessages.FlipBit(vector, bit));

            Assert.True(message.HasValidMessageIntegrity(Rfc5769.ShortTermKey));
            Assert.False(message.FingerprintIsValidOrAbsent(), $"bit {bit}");
        }
    }

    [Fact]
    public void A_one_bit_flip_in_message_integrity_breaks_integrity()
    {
        var vector = Rfc5769.SampleRequest;
        var integrityValue = StunTestMessages.OffsetOf(vector, StunAttributeType.MessageIntegrity) + StunAttributeLayout.HeaderLength;

        for (var bit = integrityValue * 8; bit < (integrityValue + MessageIntegrityAttribute.ValueLength) * 8; bit++)
        {
            var message = StunTestMessages.Parse(StunTestMessages.FlipBit(vector, bit));

            Assert.False(message.HasValidMessageIntegrity(Rfc5769.ShortTermKey), $"bit {bit}");
        }
    }

    [Fact]
    public void Writer_reproduces_the_sample_request_byte_for_byte()
    {
        var buffer = new byte[200];
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.Binding, StunClass.Request), Rfc5769.TransactionId);
        writer.Append(StunAttributeType.Software, "STUN test client"u8);
        writer.AppendUInt32(Priority, 0x6E0001FF);
        writer.Append(IceControlled, [0x93, 0x2F, 0xF9, 0xB1, 0x51, 0x26, 0x3B, 0x36]);
        writer.Append(StunAttributeType.Username, "evtj:h6vY"u8);
        buffer.AsSpan(writer.Length - 3, 3).Fill(0x20); // the RFC pads USERNAME with spaces, the writer with zeros
        writer.AppendMessageIntegrity(Rfc5769.ShortTermKey);
        writer.AppendFingerprint();

        Assert.Equal(Rfc5769.SampleRequest, writer.Written.ToArray());
    }
}
