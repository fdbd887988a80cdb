using System.Net;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Grains;

/// <summary>
/// A player grain keeps its presence compactly between heartbeats; the card it hands to peers must still be
/// exactly what the player's latest heartbeat carried, packed or not.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PresenceCardTests(ClusterFixture cluster)
{
    [Fact]
    public async Task An_idle_players_card_is_the_presence_of_its_latest_heartbeat()
    {
        var player = await cluster.RegisterAsync("198.51.100.90", new NatCapabilities(NatMapping.EndpointIndependent, NatFiltering.EndpointIndependent, false, false, true));
        var before = await PlayerCards.CurrentAsync(player);
        await cluster.HeartbeatAsync(player, "198.51.100.91");
        var after = await PlayerCards.CurrentAsync(player);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.90"), 40000), before.PublicEndpoint);
        Assert.Equal(new[] { new IPEndPoint(IPAddress.Parse("10.0.0.2"), 40000) }, before.LanEndpoints.ToArray());
        Assert.True(before.Capabilities.OpenPort);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.91"), 40000), after.PublicEndpoint);
        Assert.Equal(NatCapabilities.Unknown, after.Capabilities);
    }

    [Fact]
    public async Task A_card_keeps_IPv6_listen_and_several_LAN_endpoints()
    {
        var player = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());
        var presence = new PlayerPresence(
            new IPEndPoint(IPAddress.Parse("2001:db8:5::1"), 40001),
            [new IPEndPoint(IPAddress.Parse("10.0.0.2"), 40002), new IPEndPoint(IPAddress.Parse("fd00::2"), 40003)],
            NatCapabilities.Unknown,
            new GatewayRoute(cluster.PushReference, new IPEndPoint(IPAddress.Loopback, 3478)),
            new IPEndPoint(IPAddress.Parse("2001:db8:5::1"), 40004),
            new IPEndPoint(IPAddress.Parse("2001:db8:5::1"), 41000));

        await player.HeartbeatAsync(presence);
        var card = await PlayerCards.CurrentAsync(player);

        Assert.Equal(presence.PublicEndpoint, card.PublicEndpoint);
        Assert.Equal(presence.LanEndpoints.ToArray(), card.LanEndpoints.ToArray());
        Assert.Equal(presence.Ipv6Endpoint, card.Ipv6Endpoint);
        Assert.Equal(presence.ListenEndpoint, card.ListenEndpoint);
    }
}
