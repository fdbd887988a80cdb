using CsCheck;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Tests.Protocol;

/// <summary>NAT-CAPABILITIES: mapping, filtering and three flags packed into one 32-bit word.</summary>
public sealed class NatCapabilitiesTests
{
    private static readonly Gen<NatCapabilities> AnyDefined = Gen.Select(
        Gen.Enum<NatMapping>(), Gen.Enum<NatFiltering>(), Gen.Bool, Gen.Bool, Gen.Bool,
        (mapping, filtering, ipv6, upnp, openPort) => new NatCapabilities(mapping, filtering, ipv6, upnp, openPort));

    [Fact]
    public void Every_defined_combination_round_trips()
    {
        var seen = new HashSet<uint>();
        foreach (var mapping in Enum.GetValues<NatMapping>())
        {
            foreach (var filtering in Enum.GetValues<NatFiltering>())
            {
                for (var flags = 0; flags < 8; flags++)
                {
                    var capabilities = new NatCapabilities(mapping, filtering, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0);
                    var encoded = capabilities.Encode();

                    Assert.True(NatCapabilities.TryDecode(encoded, out var decoded));
                    Assert.Equal(capabilities, decoded);
                    Assert.True(seen.Add(encoded));
                }
            }
        }

        Assert.Equal(4 * 4 * 8, seen.Count);
    }

    [Fact]
    public void Any_defined_capabilities_round_trip()
    {
        AnyDefined.Sample(capabilities =>
        {
            Assert.True(NatCapabilities.TryDecode(capabilities.Encode(), out var decoded));
            Assert.Equal(capabilities, decoded);
        });
    }

    [Theory]
    [InlineData(NatMapping.AddressAndPortDependent, NatFiltering.EndpointIndependent, true, false, true, 0x0005_0103u)]
    [InlineData(NatMapping.EndpointIndependent, NatFiltering.AddressDependent, false, true, false, 0x0002_0201u)]
    public void Mapping_filtering_and_flags_occupy_bytes_zero_one_and_two(NatMapping mapping, NatFiltering filtering, bool ipv6, bool upnp, bool openPort, uint wire)
    {
        Assert.Equal(wire, new NatCapabilities(mapping, filtering, ipv6, upnp, openPort).Encode());
    }

    [Fact]
    public void Unknown_encodes_as_zero()
    {
        Assert.Equal(0u, NatCapabilities.Unknown.Encode());
        Assert.True(NatCapabilities.TryDecode(0, out var decoded));
        Assert.Equal(NatCapabilities.Unknown, decoded);
    }

    [Theory]
    [InlineData(0x0000_0004u)]
    [InlineData(0x0000_00FFu)]
    [InlineData(0x0000_0400u)]
    [InlineData(0x0000_FF00u)]
    [InlineData(0x0008_0000u)]
    [InlineData(0x0080_0000u)]
    [InlineData(0x0100_0000u)]
    [InlineData(0xFF00_0000u)]
    public void Undefined_values_are_rejected(uint wire)
    {
        Assert.False(NatCapabilities.TryDecode(wire, out _));
    }

    [Fact]
    public void Decoding_accepts_exactly_the_encodings_of_defined_capabilities()
    {
        Gen.OneOf(Gen.UInt, Gen.UInt[0, 0x0007_FFFF]).Sample(wire =>
        {
            var defined = (wire & 0xFF) <= 3 && ((wire >> 8) & 0xFF) <= 3 && (wire >> 19) == 0;

            Assert.Equal(defined, NatCapabilities.TryDecode(wire, out var decoded));
            if (defined)
            {
                Assert.Equal(wire, decoded.Encode());
            }
        }, iter: 20_000);
    }
}
