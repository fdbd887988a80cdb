using System.Net;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;

namespace Matchmaker.Tests.Grains;

/// <summary>
/// <see cref="IPlayerGrain.RefreshAsync"/>: a heartbeat that names its unchanged presence by digest must do
/// all a full heartbeat does — renew the registration, restate the lobby — and must be turned back whenever
/// the grain does not hold that very presence, so the gateway sends it whole.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PresenceRefreshTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Digest_heartbeats_keep_a_player_registered_past_its_first_lifetime()
    {
        var player = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());
        await player.HeartbeatAsync(Presence("198.51.100.120", digest: 41));

        for (var beat = 0; beat < 5; beat++)
        {
            cluster.Clock.Advance(cluster.PlayerOptions.HeartbeatInterval);
            var status = await player.RefreshAsync(41);
            Assert.NotNull(status);
            Assert.Equal(cluster.PlayerOptions.HeartbeatInterval, status.HeartbeatInterval);
        }

        Assert.True((await player.GetStatusAsync()).Registered);
    }

    [Fact]
    public async Task A_digest_the_grain_does_not_hold_is_turned_back_and_registers_nobody()
    {
        var fresh = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());
        var changed = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());
        var undigested = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());
        await changed.HeartbeatAsync(Presence("198.51.100.121", digest: 42));
        await undigested.HeartbeatAsync(Presence("198.51.100.122", digest: 0));

        Assert.Null(await fresh.RefreshAsync(42));
        Assert.False((await fresh.GetStatusAsync()).Registered);
        Assert.Null(await changed.RefreshAsync(43));
        Assert.Null(await undigested.RefreshAsync(0));
    }

    [Fact]
    public async Task An_expired_registration_turns_its_old_digest_back()
    {
        var player = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());
        await player.HeartbeatAsync(Presence("198.51.100.123", digest: 44));

        cluster.Clock.Advance(cluster.PlayerOptions.RegistrationLifetime + cluster.PlayerOptions.HeartbeatInterval);

        Assert.Null(await player.RefreshAsync(44));
        Assert.False((await player.GetStatusAsync()).Registered);
    }

    [Fact]
    public async Task A_digest_heartbeat_restates_the_lobby_its_player_hosts()
    {
        var host = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());
        await host.HeartbeatAsync(Presence("198.51.100.124", digest: 45));
        var code = (await host.HostLobbyAsync(new LobbySpec("refreshed", 4), Guid.NewGuid())).Lobby!.Code;
        var session = cluster.Client.GetGrain<ISessionGrain>(code);

        await cluster.LoseAsync(session);
        Assert.NotNull(await host.RefreshAsync(45));

        Assert.Equal(new LobbySummary(code, "refreshed", 1, 4), await session.GetSummaryAsync());
        Assert.Equal(code, (await host.GetStatusAsync()).LobbyCode);
    }

    private PlayerPresence Presence(string publicIp, ulong digest) => new(
        new IPEndPoint(IPAddress.Parse(publicIp), 40000),
        [new IPEndPoint(IPAddress.Parse("10.0.0.2"), 40000)],
        default,
        new GatewayRoute(cluster.PushReference, new IPEndPoint(IPAddress.Loopback, 3478)),
        Digest: digest);
}
