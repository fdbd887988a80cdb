using System.Collections.Immutable;
using System.Net;
using CsCheck;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Tests.Grains;

/// <summary>The connection plan: LAN, IPv6, direct, cone-to-symmetric, open port, UPnP, else relay (null).</summary>
public sealed class ConnectionPlannerTests
{
    private const string HostIp = "203.0.113.10";
    private const string GuestIp = "198.51.100.20";

    [Theory]
    // Same public address: same NAT, only the LAN path works; it beats every other step.
    [InlineData(HostIp, "symmetric", HostIp, "symmetric", ConnectMethod.Lan)]
    [InlineData(HostIp, "full-cone+ipv6", HostIp, "full-cone+ipv6", ConnectMethod.Lan)]
    // Both have IPv6: no NAT in the way.
    [InlineData(HostIp, "symmetric+ipv6", GuestIp, "symmetric+ipv6", ConnectMethod.Ipv6)]
    [InlineData(HostIp, "full-cone+ipv6", GuestIp, "port-restricted+ipv6+open", ConnectMethod.Ipv6)]
    // Both map endpoint-independently (unknown counts as such): plain hole punching.
    [InlineData(HostIp, "full-cone", GuestIp, "port-restricted", ConnectMethod.Direct)]
    [InlineData(HostIp, "port-restricted", GuestIp, "port-restricted", ConnectMethod.Direct)]
    [InlineData(HostIp, "unknown", GuestIp, "port-restricted", ConnectMethod.Direct)]
    [InlineData(HostIp, "full-cone+ipv6", GuestIp, "full-cone", ConnectMethod.Direct)]
    [InlineData(HostIp, "full-cone+open+upnp", GuestIp, "address-restricted", ConnectMethod.Direct)]
    // Symmetric with a cone whose filter lets an unpredictable port in.
    [InlineData(HostIp, "symmetric", GuestIp, "full-cone", ConnectMethod.ConeToSymmetric)]
    [InlineData(HostIp, "full-cone", GuestIp, "symmetric", ConnectMethod.ConeToSymmetric)]
    [InlineData(HostIp, "symmetric", GuestIp, "address-restricted", ConnectMethod.ConeToSymmetric)]
    [InlineData(HostIp, "address-dependent-mapping", GuestIp, "address-restricted", ConnectMethod.ConeToSymmetric)]
    [InlineData(HostIp, "symmetric", GuestIp, "full-cone+open", ConnectMethod.ConeToSymmetric)]
    // Symmetric with a port-restricted cone: no punch works, an open port or UPnP must.
    [InlineData(HostIp, "symmetric", GuestIp, "port-restricted", null)]
    [InlineData(HostIp, "symmetric+open", GuestIp, "port-restricted", ConnectMethod.OpenPort)]
    [InlineData(HostIp, "symmetric", GuestIp, "port-restricted+open", ConnectMethod.OpenPort)]
    [InlineData(HostIp, "symmetric", GuestIp, "port-restricted+upnp", ConnectMethod.Upnp)]
    [InlineData(HostIp, "symmetric+open", GuestIp, "port-restricted+upnp", ConnectMethod.OpenPort)]
    // Symmetric on both sides.
    [InlineData(HostIp, "symmetric", GuestIp, "symmetric", null)]
    [InlineData(HostIp, "symmetric+ipv6", GuestIp, "symmetric", null)]
    [InlineData(HostIp, "symmetric+upnp", GuestIp, "symmetric", ConnectMethod.Upnp)]
    [InlineData(HostIp, "symmetric", GuestIp, "symmetric+open", ConnectMethod.OpenPort)]
    public void Plan_follows_the_connection_order(string ipA, string natA, string ipB, string natB, ConnectMethod? expected)
    {
        var a = Card(ipA, 40001, natA);
        var b = Card(ipB, 40002, natB);

        Assert.Equal(expected, ConnectionPlanner.Plan(a, b));
    }

    [Fact]
    public void A_flag_without_its_endpoint_does_not_count()
    {
        var ipv6Flag = new NatCapabilities(NatMapping.AddressAndPortDependent, NatFiltering.AddressAndPortDependent, Ipv6: true, Upnp: true, OpenPort: true);
        var a = new PeerCard(Guid.NewGuid(), new IPEndPoint(IPAddress.Parse(HostIp), 1), [], ipv6Flag);
        var b = new PeerCard(Guid.NewGuid(), new IPEndPoint(IPAddress.Parse(GuestIp), 2), [], ipv6Flag);

        Assert.Null(ConnectionPlanner.Plan(a, b));
        Assert.Equal(ConnectMethod.Ipv6, ConnectionPlanner.Plan(a with { Ipv6Endpoint = new IPEndPoint(IPAddress.Parse("2001:db8:7::2"), 1) }, b with { Ipv6Endpoint = new IPEndPoint(IPAddress.Parse("2001:db8:8::2"), 2) }));
        Assert.Equal(ConnectMethod.OpenPort, ConnectionPlanner.Plan(a, b with { ListenEndpoint = new IPEndPoint(IPAddress.Parse(GuestIp), 3) }));
    }

    [Fact]
    public void Plan_is_symmetric()
    {
        Gen.Select(AnyCard, AnyCard).Sample((a, b) => Assert.Equal(ConnectionPlanner.Plan(a, b), ConnectionPlanner.Plan(b, a)), iter: 20_000);
    }

    [Fact]
    public void Plan_is_LAN_exactly_when_the_public_addresses_match()
    {
        Gen.Select(AnyCard, AnyCard).Sample((a, b) =>
        {
            var sameAddress = a.PublicEndpoint.Address.Equals(b.PublicEndpoint.Address);

            Assert.Equal(sameAddress, ConnectionPlanner.Plan(a, b) == ConnectMethod.Lan);
        }, iter: 5_000);
    }

    [Fact]
    public void A_peer_planned_with_itself_connects_over_the_LAN()
    {
        AnyCard.Sample(card => Assert.Equal(ConnectMethod.Lan, ConnectionPlanner.Plan(card, card)));
    }

    /// <summary>A few public addresses only, so that two random peers often share one.</summary>
    private static readonly Gen<PeerCard> AnyCard = Gen.Select(
            Gen.Guid,
            Gen.OneOf(HostIp, GuestIp, "192.0.2.30", "2001:db8::40").Select(IPAddress.Parse),
            Gen.UShort,
            Gen.Select(Gen.Enum<NatMapping>(), Gen.Enum<NatFiltering>(), Gen.Bool, Gen.Bool, Gen.Bool))
        .Select((id, address, port, nat) => new PeerCard(
            id,
            new IPEndPoint(address, port),
            ImmutableArray<IPEndPoint>.Empty,
            new NatCapabilities(nat.Item1, nat.Item2, nat.Item3, nat.Item4, nat.Item5),
            nat.Item3 ? new IPEndPoint(IPAddress.Parse("2001:db8:7::2"), port) : null,
            nat.Item4 || nat.Item5 ? new IPEndPoint(address, port) : null));

    /// <summary>"profile+flag+flag", e.g. "symmetric+open": RFC 4787 behaviour plus IPv6, UPnP and open-port flags.</summary>
    private static PeerCard Card(string ip, int port, string nat)
    {
        var parts = nat.Split('+');
        var (mapping, filtering) = parts[0] switch
        {
            "full-cone" => (NatMapping.EndpointIndependent, NatFiltering.EndpointIndependent),
            "address-restricted" => (NatMapping.EndpointIndependent, NatFiltering.AddressDependent),
            "port-restricted" => (NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent),
            "address-dependent-mapping" => (NatMapping.AddressDependent, NatFiltering.AddressAndPortDependent),
            "symmetric" => (NatMapping.AddressAndPortDependent, NatFiltering.AddressAndPortDependent),
            "unknown" => (NatMapping.Unknown, NatFiltering.Unknown),
            _ => throw new ArgumentException($"Unknown NAT profile '{parts[0]}'.", nameof(nat)),
        };
        var flags = parts.Skip(1).ToHashSet();
        var capabilities = new NatCapabilities(mapping, filtering, flags.Contains("ipv6"), flags.Contains("upnp"), flags.Contains("open"));
        var ipv6 = capabilities.Ipv6 ? new IPEndPoint(IPAddress.Parse("2001:db8:7::2"), port) : null;
        var listen = capabilities.Upnp || capabilities.OpenPort ? new IPEndPoint(IPAddress.Parse(ip), port + 1000) : null;
        return new PeerCard(Guid.NewGuid(), new IPEndPoint(IPAddress.Parse(ip), port), [], capabilities, ipv6, listen);
    }
}
