using System.Buffers.Binary;
using System.Net;
using CsCheck;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>XOR-MAPPED-ADDRESS and Matchmaker's XOR endpoint attributes (RFC 8489 §14.2).</summary>
public sealed class XorAddressAttributeTests
{
    [Theory]
    [InlineData("192.0.2.1", 32853)]
    [InlineData("0.0.0.0", 0)]
    [InlineData("255.255.255.255", 65535)]
    [InlineData("2001:db8:1234:5678:11:2233:4455:6677", 32853)]
    [InlineData("::", 1)]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535)]
    public void Endpoint_written_as_xor_address_reads_back_unchanged(string address, int port)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(address), port);
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendXorAddress(StunAttributeType.XorMappedAddress, endpoint));

        Assert.True(StunTestMessages.Parse(bytes).TryGetXorAddress(StunAttributeType.XorMappedAddress, out var read));
        Assert.Equal(endpoint, read);
    }

    [Fact]
    public void Any_IPv4_or_IPv6_endpoint_round_trips_under_any_transaction_id()
    {
        Gen.Select(StunGen.Endpoint, StunGen.TransactionId).Sample((endpoint, transactionId) =>
        {
            var bytes = StunTestMessages.Build(StunTestMessages.BindingRequest, transactionId, (ref StunMessageWriter writer) =>
                writer.AppendXorAddress(StunAttributeType.PeerEndpoint, endpoint));

            Assert.True(StunTestMessages.Parse(bytes).TryGetXorAddress(StunAttributeType.PeerEndpoint, out var read));
            Assert.Equal(endpoint, read);
        }, iter: 2000);
    }

    [Fact]
    public void Port_and_IPv4_address_are_masked_with_the_magic_cookie_on_the_wire()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
            writer.AppendXorAddress(StunAttributeType.XorMappedAddress, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 0x1234)));
        var value = StunTestMessages.AttributesOf(bytes).Single().Value;

        Assert.Equal([0x00, 0x01, 0x12 ^ 0x21, 0x34 ^ 0x12, 192 ^ 0x21, 0 ^ 0x12, 2 ^ 0xA4, 1 ^ 0x42], value);
    }

    [Fact]
    public void IPv4_mapped_IPv6_address_is_written_as_plain_IPv4()
    {
        var mapped = new IPEndPoint(IPAddress.Parse("::ffff:198.51.100.7"), 4000);
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendXorAddress(StunAttributeType.XorMappedAddress, mapped));

        var value = StunTestMessages.AttributesOf(bytes).Single().Value;
        Assert.Equal(8, value.Length);
        Assert.Equal(0x01, value[1]);
        Assert.True(StunTestMessages.Parse(bytes).TryGetXorAddress(StunAttributeType.XorMappedAddress, out var read));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 4000), read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00 01 a1")]
    [InlineData("00 00 a1 47 e1 12 a6 43")]
    [InlineData("00 03 a1 47 e1 12 a6 43")]
    [InlineData("00 01 a1 47 e1 12 a6")]
    [InlineData("00 01 a1 47 e1 12 a6 43 00")]
    [InlineData("00 02 a1 47 e1 12 a6 43")]
    [InlineData("00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9")]
    public void Malformed_xor_address_values_are_rejected(string hex)
    {
        Assert.False(XorAddressAttribute.TryReadXorAddress(StunTestMessages.FromHex(hex), Rfc5769.TransactionId, out _));
    }

    [Fact]
    public void Absent_xor_address_is_reported_as_missing()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendUInt32(StunAttributeType.Lifetime, 1));

        Assert.False(StunTestMessages.Parse(bytes).TryGetXorAddress(StunAttributeType.XorMappedAddress, out _));
    }

    [Fact]
    public void Reading_arbitrary_bytes_as_xor_address_never_throws_and_accepts_only_exact_lengths()
    {
        Gen.Select(Gen.Byte.Array[0, 30], StunGen.TransactionId).Sample((value, transactionId) =>
        {
            var accepted = XorAddressAttribute.TryReadXorAddress(value, transactionId, out var endpoint);

            var wellFormed = value.Length >= 2 && ((value[1] == 1 && value.Length == 8) || (value[1] == 2 && value.Length == 20));
            Assert.Equal(wellFormed, accepted);
            if (accepted)
            {
                Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(value.AsSpan(2)) ^ 0x2112, endpoint.Port);
            }
        }, iter: 5000);
    }
}
