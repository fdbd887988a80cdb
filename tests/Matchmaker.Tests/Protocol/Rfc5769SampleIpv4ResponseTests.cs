using System.Net;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>RFC 5769 §2.2: the sample Binding success response reflecting an IPv4 address.</summary>
public sealed class Rfc5769SampleIpv4ResponseTests
{
    private static readonly IPEndPoint Mapped = new(IPAddress.Parse("192.0.2.1"), 32853);

    [Fact]
    public void Sample_IPv4_response_parses_as_a_binding_success_response()
    {
        var message = StunTestMessages.Parse(Rfc5769.SampleIpv4Response);

        Assert.Equal(new StunMessageType(StunMethods.Binding, StunClass.SuccessResponse), message.Type);
        Assert.Equal(Rfc5769.TransactionId, message.TransactionId.ToArray());
        Assert.True(message.TryGetString(StunAttributeType.Software, 763, out var software));
        Assert.Equal("test vector", software);
    }

    [Fact]
    public void Xor_mapped_address_decodes_to_192_0_2_1_port_32853()
    {
        var message = StunTestMessages.Parse(Rfc5769.SampleIpv4Response);

        Assert.True(message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var endpoint));
        Assert.Equal(Mapped, endpoint);
    }

    [Fact]
    public void Message_integrity_and_fingerprint_of_the_IPv4_response_are_valid()
    {
        var message = StunTestMessages.Parse(Rfc5769.SampleIpv4Response);

        Assert.True(message.HasValidMessageIntegrity(Rfc5769.ShortTermKey));
        Assert.True(message.HasAttribute(StunAttributeType.Fingerprint));
        Assert.True(message.FingerprintIsValidOrAbsent());
    }

    [Fact]
    public void A_one_bit_flip_in_the_mapped_port_breaks_integrity_and_fingerprint()
    {
        var vector = Rfc5769.SampleIpv4Response;
        var port = StunTestMessages.OffsetOf(vector, StunAttributeType.XorMappedAddress) + StunAttributeLayout.HeaderLength + 2;

        var message = StunTestMessages.Parse(StunTestMessages.FlipBit(vector, (port * 8) + 3));

        Assert.True(message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var endpoint));
        Assert.NotEqual(Mapped, endpoint);
        Assert.False(message.HasValidMessageIntegrity(Rfc5769.ShortTermKey));
        Assert.False(message.FingerprintIsValidOrAbsent());
    }

    [Fact]
    public void Writer_reproduces_the_IPv4_response_byte_for_byte()
    {
        var buffer = new byte[200];
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.Binding, StunClass.SuccessResponse), Rfc5769.TransactionId);
        writer.Append(StunAttributeType.Software, "test vector"u8);
        buffer[writer.Length - 1] = 0x20; // the RFC pads SOFTWARE with a space, the writer with zero
        writer.AppendXorAddress(StunAttributeType.XorMappedAddress, Mapped);
        writer.AppendMessageIntegrity(Rfc5769.ShortTermKey);
        writer.AppendFingerprint();

        Assert.Equal(Rfc5769.SampleIpv4Response, writer.Written.ToArray());
    }
}
