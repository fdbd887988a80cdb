using System.Net;
using CsCheck;
using Matchmaker.Relay;

namespace Matchmaker.Tests.Relay;

/// <summary>The deny list, address by address, and the two options that may open parts of it.</summary>
public sealed class RelayAddressFilterTests
{
    [Theory]
    [InlineData("8.8.8.8", RelayAddressClass.Public)]
    [InlineData("1.1.1.1", RelayAddressClass.Public)]
    [InlineData("100.63.255.255", RelayAddressClass.Public)]
    [InlineData("172.32.0.1", RelayAddressClass.Public)]
    [InlineData("0.0.0.0", RelayAddressClass.Unspecified)]
    [InlineData("0.1.2.3", RelayAddressClass.Unspecified)]
    [InlineData("127.0.0.1", RelayAddressClass.Loopback)]
    [InlineData("127.255.0.9", RelayAddressClass.Loopback)]
    [InlineData("10.0.4.2", RelayAddressClass.Private)]
    [InlineData("172.16.0.1", RelayAddressClass.Private)]
    [InlineData("172.31.255.254", RelayAddressClass.Private)]
    [InlineData("192.168.1.1", RelayAddressClass.Private)]
    [InlineData("100.64.0.1", RelayAddressClass.Private)]
    [InlineData("169.254.169.254", RelayAddressClass.LinkLocal)]
    [InlineData("224.0.0.251", RelayAddressClass.Multicast)]
    [InlineData("239.255.255.250", RelayAddressClass.Multicast)]
    [InlineData("255.255.255.255", RelayAddressClass.Reserved)]
    [InlineData("240.0.0.1", RelayAddressClass.Reserved)]
    [InlineData("198.18.0.1", RelayAddressClass.Reserved)]
    [InlineData("192.0.0.8", RelayAddressClass.Reserved)]
    [InlineData("192.0.2.1", RelayAddressClass.Documentation)]
    [InlineData("198.51.100.10", RelayAddressClass.Documentation)]
    [InlineData("203.0.113.40", RelayAddressClass.Documentation)]
    [InlineData("2606:4700:4700::1111", RelayAddressClass.Public)]
    [InlineData("2a00:1450::1", RelayAddressClass.Public)]
    [InlineData("::", RelayAddressClass.Unspecified)]
    [InlineData("::1", RelayAddressClass.Loopback)]
    [InlineData("::ffff:10.1.2.3", RelayAddressClass.Private)]
    [InlineData("::ffff:8.8.8.8", RelayAddressClass.Public)]
    [InlineData("fd00::1", RelayAddressClass.Private)]
    [InlineData("fc12::1", RelayAddressClass.Private)]
    [InlineData("fe80::1", RelayAddressClass.LinkLocal)]
    [InlineData("ff02::1", RelayAddressClass.Multicast)]
    [InlineData("2001:db8::20", RelayAddressClass.Documentation)]
    [InlineData("3fff:1::1", RelayAddressClass.Documentation)]
    [InlineData("64:ff9b::a00:1", RelayAddressClass.Reserved)]
    [InlineData("2002:a00:1::1", RelayAddressClass.Reserved)]
    [InlineData("2001::1", RelayAddressClass.Reserved)]
    [InlineData("100::1", RelayAddressClass.Reserved)]
    [InlineData("fec0::1", RelayAddressClass.Reserved)]
    public void Addresses_fall_in_their_special_purpose_class(string address, RelayAddressClass expected) =>
        Assert.Equal(expected, RelayAddressFilter.Classify(IPAddress.Parse(address)));

    [Fact]
    public void By_default_only_public_addresses_may_be_forwarded_to()
    {
        var options = new RelayOptions();
        Assert.False(options.AllowDocumentationRanges);
        Assert.False(options.AllowLoopback);
        Assert.True(RelayAddressFilter.MayForward(IPAddress.Parse("8.8.8.8"), options));
        Assert.False(RelayAddressFilter.MayForward(IPAddress.Parse("203.0.113.40"), options));
        Assert.False(RelayAddressFilter.MayForward(IPAddress.Parse("2001:db8::20"), options));
        Assert.False(RelayAddressFilter.MayForward(IPAddress.Loopback, options));
    }

    [Fact]
    public void The_options_open_documentation_and_loopback_and_nothing_else()
    {
        var lab = new RelayOptions { AllowDocumentationRanges = true, AllowLoopback = true };
        Assert.True(RelayAddressFilter.MayForward(IPAddress.Parse("198.51.100.10"), lab));
        Assert.True(RelayAddressFilter.MayForward(IPAddress.Parse("2001:db8::20"), lab));
        Assert.True(RelayAddressFilter.MayForward(IPAddress.IPv6Loopback, lab));
        foreach (var denied in new[] { "10.0.4.2", "192.168.0.1", "169.254.169.254", "224.0.0.1", "0.0.0.0", "fd00::1", "fe80::1", "::" })
        {
            Assert.False(RelayAddressFilter.MayForward(IPAddress.Parse(denied), lab), denied);
        }
    }

    [Fact]
    public void Every_address_in_the_rfc1918_blocks_is_private()
    {
        var rfc1918 = Gen.OneOf(
            Gen.Int[0, (1 << 24) - 1].Select(n => (10u << 24) | (uint)n),
            Gen.Int[0, (1 << 20) - 1].Select(n => (172u << 24) | (16u << 16) | (uint)n),
            Gen.Int[0, (1 << 16) - 1].Select(n => (192u << 24) | (168u << 16) | (uint)n));
        rfc1918.Sample(value => Assert.Equal(RelayAddressClass.Private, RelayAddressFilter.Classify(FromUInt(value))), iter: 5000);
    }

    [Fact]
    public void Classification_never_throws_and_an_ipv4_mapped_address_is_judged_like_its_ipv4()
    {
        Gen.UInt.Sample(value =>
        {
            var v4 = FromUInt(value);
            Assert.Equal(RelayAddressFilter.Classify(v4), RelayAddressFilter.Classify(v4.MapToIPv6()));
        }, iter: 5000);
        Gen.Byte.Array[16].Sample(bytes => RelayAddressFilter.Classify(new IPAddress(bytes)), iter: 5000);
    }

    private static IPAddress FromUInt(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
