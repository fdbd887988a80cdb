using System.Net;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Tests.Grains;

/// <summary>
/// How a player grain keeps a presence between heartbeats: the common IPv4 presence packed into integers,
/// anything else as the heartbeat sent it, the gateway route shared, and an unchanged restatement kept as
/// the same instance. What reads back must equal what the heartbeat carried.
/// </summary>
public sealed class StoredPresenceTests
{
    private static readonly NatCapabilities Cone = new(NatMapping.EndpointIndependent, NatFiltering.AddressDependent, false, true, false);
    private readonly RecordingGatewayPush _gateway = new();
    private readonly GatewayRouteCache _routes = new();

    [Fact]
    public void An_IPv4_presence_is_packed_and_reads_back_unchanged()
    {
        var presence = Presence("198.51.100.7", 40001, ["10.0.0.2:40002"]);

        var stored = StoredPresence.Refresh(null, presence, _routes);

        Assert.True(stored.IsPacked);
        Assert.Equal(presence.PublicEndpoint, stored.PublicEndpoint);
        Assert.Equal(presence.LanEndpoints.ToArray(), stored.LanEndpoints.ToArray());
        Assert.Equal(Cone, stored.Capabilities);
        Assert.Equal(presence.Route, stored.Route);
        Assert.Null(stored.Ipv6Endpoint);
        Assert.Null(stored.ListenEndpoint);
    }

    [Fact]
    public void A_presence_without_LAN_endpoints_and_one_at_port_zero_address_pack_distinctly()
    {
        var none = StoredPresence.Refresh(null, Presence("0.0.0.0", 0, []), _routes);
        var zero = StoredPresence.Refresh(none, Presence("0.0.0.0", 0, ["0.0.0.0:0"]), _routes);

        Assert.Empty(none.LanEndpoints);
        Assert.Equal(new[] { new IPEndPoint(IPAddress.Any, 0) }, zero.LanEndpoints.ToArray());
        Assert.NotSame(none, zero);
    }

    [Fact]
    public void A_presence_that_does_not_pack_keeps_every_endpoint()
    {
        var presence = Presence("198.51.100.8", 40001, ["10.0.0.2:40002", "192.168.1.2:40003"]) with
        {
            Ipv6Endpoint = IPEndPoint.Parse("[2001:db8::8]:40004"),
            ListenEndpoint = IPEndPoint.Parse("198.51.100.8:41000"),
            Lobby = new LobbyClaim("X7K9M2Q", null),
        };

        var stored = StoredPresence.Refresh(null, presence, _routes);

        Assert.False(stored.IsPacked);
        Assert.Equal(presence.PublicEndpoint, stored.PublicEndpoint);
        Assert.Equal(presence.LanEndpoints.ToArray(), stored.LanEndpoints.ToArray());
        Assert.Equal(presence.Ipv6Endpoint, stored.Ipv6Endpoint);
        Assert.Equal(presence.ListenEndpoint, stored.ListenEndpoint);
        Assert.Equal(Cone, stored.Capabilities);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Restating_an_unchanged_presence_keeps_the_stored_instance(bool withIpv6)
    {
        PlayerPresence Beat() => Presence("198.51.100.9", 40001, ["10.0.0.2:40002"]) with
        {
            Ipv6Endpoint = withIpv6 ? IPEndPoint.Parse("[2001:db8::9]:40004") : null,
        };

        var first = StoredPresence.Refresh(null, Beat(), _routes);
        var second = StoredPresence.Refresh(first, Beat(), _routes);

        Assert.Same(first, second);
    }

    [Fact]
    public void A_change_of_any_part_replaces_the_stored_presence()
    {
        var stored = StoredPresence.Refresh(null, Presence("198.51.100.10", 40001, ["10.0.0.2:40002"]), _routes);

        var moved = StoredPresence.Refresh(stored, Presence("198.51.100.11", 40001, ["10.0.0.2:40002"]), _routes);
        var newLan = StoredPresence.Refresh(moved, Presence("198.51.100.11", 40001, ["10.0.0.3:40002"]), _routes);
        var newNat = StoredPresence.Refresh(newLan, Presence("198.51.100.11", 40001, ["10.0.0.3:40002"]) with { Capabilities = NatCapabilities.Unknown }, _routes);
        var newGateway = StoredPresence.Refresh(newNat, Presence("198.51.100.11", 40001, ["10.0.0.3:40002"], gatewayPort: 3479) with { Capabilities = NatCapabilities.Unknown }, _routes);

        Assert.Equal(IPEndPoint.Parse("198.51.100.11:40001"), moved.PublicEndpoint);
        Assert.Equal(new[] { IPEndPoint.Parse("10.0.0.3:40002") }, newLan.LanEndpoints.ToArray());
        Assert.Equal(NatCapabilities.Unknown, newNat.Capabilities);
        Assert.Equal(3479, newGateway.Route.GatewayEndpoint.Port);
        Assert.NotSame(stored, moved);
        Assert.NotSame(moved, newLan);
        Assert.NotSame(newLan, newNat);
        Assert.NotSame(newNat, newGateway);
    }

    [Fact]
    public void Players_of_one_gateway_socket_share_one_route_instance()
    {
        var a = StoredPresence.Refresh(null, Presence("198.51.100.12", 40001, []), _routes);
        var b = StoredPresence.Refresh(null, Presence("198.51.100.13", 40001, []), _routes);
        var other = StoredPresence.Refresh(null, Presence("198.51.100.14", 40001, [], gatewayPort: 3479), _routes);

        Assert.Same(a.Route, b.Route);
        Assert.NotSame(a.Route, other.Route);
        Assert.Equal(3479, other.Route.GatewayEndpoint.Port);
    }

    private PlayerPresence Presence(string publicIp, int port, string[] lan, int gatewayPort = 3478) => new(
        new IPEndPoint(IPAddress.Parse(publicIp), port),
        [.. lan.Select(IPEndPoint.Parse)],
        Cone,
        new GatewayRoute(_gateway, new IPEndPoint(IPAddress.Loopback, gatewayPort)));
}
