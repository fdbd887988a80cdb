using System.Net;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>RFC 5769 §2.3: the sample Binding success response reflecting an IPv6 address.</summary>
public sealed class Rfc5769SampleIpv6ResponseTests
{
    private static readonly IPEndPoint Mapped = new(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853);

    [Fact]
    public void Xor_mapped_address_decodes_to_2001_db8_1234_5678_11_2233_4455_6677_port_32853()
    {
        var message = StunTestMessages.Parse(Rfc5769.SampleIpv6Response);

        Assert.Equal(new StunMessageType(StunMethods.Binding, StunClass.SuccessResponse), message.Type);
        Assert.True(message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var endpoint));
        Assert.Equal(Mapped, endpoint);
    }

    [Fact]
    public void Message_integrity_and_fingerprint_of_the_IPv6_response_are_valid()
    {
        var message = StunTestMessages.Parse(Rfc5769.SampleIpv6Response);

        Assert.True(message.HasValidMessageIntegrity(Rfc5769.ShortTermKey));
        Assert.True(message.HasAttribute(StunAttributeType.Fingerprint));
        Assert.True(message.FingerprintIsValidOrAbsent());
    }

    [Fact]
    public void Decoding_with_another_transaction_id_yields_another_IPv6_address()
    {
        // The last 12 address bytes are masked with the transaction id, so it must take part in decoding.
        var value = StunTestMessages.AttributesOf(Rfc5769.SampleIpv6Response).Single(a => a.Type == StunAttributeType.XorMappedAddress).Value;
        var otherTransaction = new byte[StunHeader.TransactionIdLength];

        Assert.True(XorAddressAttribute.TryReadXorAddress(value, otherTransaction, out var endpoint));
        Assert.Equal(Mapped.Port, endpoint.Port);
        Assert.NotEqual(Mapped.Address, endpoint.Address);
    }

    [Fact]
    public void Writer_reproduces_the_IPv6_response_byte_for_byte()
    {
        var buffer = new byte[200];
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.Binding, StunClass.SuccessResponse), Rfc5769.TransactionId);
        writer.Append(StunAttributeType.Software, "test vector"u8);
        buffer[writer.Length - 1] = 0x20; // the RFC pads SOFTWARE with a space, the writer with zero
        writer.AppendXorAddress(StunAttributeType.XorMappedAddress, Mapped);
        writer.AppendMessageIntegrity(Rfc5769.ShortTermKey);
        writer.AppendFingerprint();

        Assert.Equal(Rfc5769.SampleIpv6Response, writer.Written.ToArray());
    }
}
