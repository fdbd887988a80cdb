using System.Net;
using CsCheck;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>MAPPED-ADDRESS layout, also used by RESPONSE-ORIGIN and OTHER-ADDRESS (RFC 8489 §14.1, RFC 5780 §7.3–7.4).</summary>
public sealed class MappedAddressAttributeTests
{
    [Theory]
    [InlineData("192.0.2.1", 32853)]
    [InlineData("2001:db8::1", 3478)]
    [InlineData("::", 0)]
    public void Endpoint_written_as_mapped_address_reads_back_unchanged(string address, int port)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(address), port);
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendMappedAddress(StunAttributeType.OtherAddress, endpoint));

        Assert.True(StunTestMessages.Parse(bytes).TryGetMappedAddress(StunAttributeType.OtherAddress, out var read));
        Assert.Equal(endpoint, read);
    }

    [Fact]
    public void Any_endpoint_round_trips_through_every_mapped_address_type()
    {
        var types = Gen.OneOf(Gen.Const(StunAttributeType.MappedAddress), Gen.Const(StunAttributeType.ResponseOrigin), Gen.Const(StunAttributeType.OtherAddress));
        Gen.Select(StunGen.Endpoint, types).Sample((endpoint, type) =>
        {
            var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendMappedAddress(type, endpoint));

            Assert.True(StunTestMessages.Parse(bytes).TryGetMappedAddress(type, out var read));
            Assert.Equal(endpoint, read);
        }, iter: 2000);
    }

    [Fact]
    public void Mapped_address_carries_the_address_in_the_clear()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
            writer.AppendMappedAddress(StunAttributeType.MappedAddress, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 0x1234)));

        Assert.Equal([0x00, 0x01, 0x12, 0x34, 192, 0, 2, 1], StunTestMessages.AttributesOf(bytes).Single().Value);
    }

    [Fact]
    public void IPv6_mapped_address_is_twenty_bytes_with_family_two()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
            writer.AppendMappedAddress(StunAttributeType.MappedAddress, new IPEndPoint(IPAddress.Parse("2001:db8::1"), 1)));
        var value = StunTestMessages.AttributesOf(bytes).Single().Value;

        Assert.Equal(20, value.Length);
        Assert.Equal(0x02, value[1]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00 01 00")]
    [InlineData("00 04 00 01 c0 00 02 01")]
    [InlineData("00 01 00 01 c0 00 02")]
    [InlineData("00 02 00 01 c0 00 02 01")]
    public void Malformed_mapped_address_values_are_rejected(string hex)
    {
        Assert.False(MappedAddressAttribute.TryReadMappedAddress(StunTestMessages.FromHex(hex), out _));
    }
}
