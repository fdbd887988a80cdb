using System.Net;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// While a player's presence is unchanged the gateway sends its grain a digest instead of the presence.
/// Over real UDP against the real silo: a changed presence still reaches the grain, a lost grain is rebuilt
/// by the next heartbeat, lobby claim included, and heartbeats keep answering with the interval.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class HeartbeatDigestTests(SiloFixture silo)
{
    private static readonly IPEndPoint LanA = new(IPAddress.Parse("10.1.0.2"), 40001);
    private static readonly IPEndPoint LanB = new(IPAddress.Parse("10.1.0.3"), 40002);

    [Fact]
    public async Task A_heartbeat_that_changes_the_presence_reaches_the_grain_after_unchanged_ones()
    {
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.21.1"));
        var player = await RawPlayer.RegisterAsync(socket);

        await RawRequests.HeartbeatAsync(socket, player, LanA);
        await RawRequests.HeartbeatAsync(socket, player, LanA);
        var before = await PlayerCards.CurrentAsync(silo.Grains.GetGrain<IPlayerGrain>(player.Id));
        await RawRequests.HeartbeatAsync(socket, player, LanB);
        var after = await PlayerCards.CurrentAsync(silo.Grains.GetGrain<IPlayerGrain>(player.Id));

        Assert.Equal(new[] { LanA }, before.LanEndpoints.ToArray());
        Assert.Equal(new[] { LanB }, after.LanEndpoints.ToArray());
    }

    [Fact]
    public async Task A_lost_player_grain_is_rebuilt_with_its_lobby_by_the_next_unchanged_heartbeat()
    {
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.21.2"));
        var player = await RawPlayer.RegisterAsync(socket);
        var code = await RawRequests.HostAsync(socket, player, "digest", 3);
        var claim = new RawRequests.Claim(code, "digest", 3);
        await RawRequests.HeartbeatAsync(socket, player, LanA, claim);
        await RawRequests.HeartbeatAsync(socket, player, LanA, claim);

        var management = silo.Grains.GetGrain<IManagementGrain>(0);
        await management.DeactivateGrain(silo.Grains.GetGrain<IPlayerGrain>(player.Id).GetGrainId());
        await management.DeactivateGrain(silo.Grains.GetGrain<ISessionGrain>(code).GetGrainId());
        await RawRequests.HeartbeatAsync(socket, player, LanA, claim);

        var status = await silo.Grains.GetGrain<IPlayerGrain>(player.Id).GetStatusAsync();
        Assert.True(status.Registered);
        Assert.Equal(code, status.LobbyCode);
        Assert.Equal(new LobbySummary(code, "digest", 1, 3), await silo.Grains.GetGrain<ISessionGrain>(code).GetSummaryAsync());
        Assert.Equal(new[] { LanA }, (await PlayerCards.CurrentAsync(silo.Grains.GetGrain<IPlayerGrain>(player.Id))).LanEndpoints.ToArray());
    }
}
