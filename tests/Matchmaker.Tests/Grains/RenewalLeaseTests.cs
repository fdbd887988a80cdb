using System.Net;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;

namespace Matchmaker.Tests.Grains;

/// <summary>
/// A player grain leases an idle player's renewal to the gateway (<see cref="PlayerStatus.Lease"/>): it extends
/// the registration by the lease first, so a player the gateway answers for stays registered, and a player who
/// stops heartbeating still expires — one lease later. A player in a lobby or queue is never leased.
/// </summary>
[Collection(LeaseClusterCollection.Name)]
public sealed class RenewalLeaseTests(LeaseClusterFixture cluster)
{
    private PlayerOptions Options => cluster.PlayerOptions;

    [Fact]
    public async Task An_idle_players_full_and_digest_renewals_both_grant_a_lease_of_two_and_a_half_intervals()
    {
        var player = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());
        var full = await player.HeartbeatAsync(new PlayerPresence(
            new IPEndPoint(IPAddress.Parse("198.51.100.140"), 40000),
            [],
            default,
            new GatewayRoute(cluster.PushReference, new IPEndPoint(IPAddress.Loopback, 3478)),
            Digest: 71));
        var digest = await player.RefreshAsync(71);

        // Three intervals of registration, the gateway's window half an interval shorter: it answers two heartbeats in three.
        Assert.Equal(Options.HeartbeatInterval * 3, Options.RenewalLease);
        Assert.Equal(Options.HeartbeatInterval * 2.5, full.Lease);
        Assert.Equal(Options.HeartbeatInterval * 2.5, digest?.Lease);
    }

    [Fact]
    public async Task A_player_in_a_lobby_or_a_queue_gets_no_lease()
    {
        var host = await cluster.RegisterAsync("198.51.100.141");
        var queued = await cluster.RegisterAsync("198.51.100.142");
        var code = (await host.HostLobbyAsync(new LobbySpec("no lease", 4), Guid.NewGuid())).Lobby!.Code;
        Assert.Equal(QueueStatus.Ok, await queued.EnqueueAsync(new QueueSpec("lease-test", 2, null)));

        var hostStatus = await cluster.HeartbeatAsync(host, "198.51.100.141", lobby: new LobbyClaim(code, new LobbySpec("no lease", 4)));
        var queuedStatus = await cluster.HeartbeatAsync(queued, "198.51.100.142");

        Assert.Equal(code, hostStatus.LobbyCode);
        Assert.Equal(TimeSpan.Zero, hostStatus.Lease);
        Assert.True(queuedStatus.Queued);
        Assert.Equal(TimeSpan.Zero, queuedStatus.Lease);
        await queued.LeaveQueueAsync();
    }

    [Fact]
    public async Task A_leased_player_that_stops_heartbeating_expires_after_lease_and_lifetime()
    {
        var player = await cluster.RegisterAsync("198.51.100.143");

        // The gateway may answer for the player until the lease ends; the grain must not forget it before then.
        cluster.Clock.Advance(Options.RenewalLease + Options.RegistrationLifetime - TimeSpan.FromSeconds(1));
        Assert.True((await player.GetStatusAsync()).Registered);

        cluster.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False((await player.GetStatusAsync()).Registered);
    }

    [Fact]
    public async Task A_leased_player_who_hosts_then_falls_silent_is_lost_within_one_lifetime()
    {
        var member = await cluster.RegisterAsync("198.51.100.144");
        var host = await cluster.RegisterAsync("198.51.100.145");
        var code = (await host.HostLobbyAsync(new LobbySpec("short lease", 4), Guid.NewGuid())).Lobby!.Code;
        Assert.Equal(LobbyStatus.Ok, (await member.JoinLobbyAsync(code, Guid.NewGuid())).Status);

        // The host's last renewal was leased, but hosting ended the lease: its timer expires it one lifetime on,
        // as it would any lobby member, while the member keeps heartbeating.
        cluster.Clock.Advance(Options.RegistrationLifetime - Options.HeartbeatInterval);
        await cluster.HeartbeatAsync(member, "198.51.100.144", lobby: new LobbyClaim(code, null));
        cluster.Clock.Advance(Options.HeartbeatInterval * 2);
        var closed = await cluster.Pushes.NextAsync<RecordingGatewayPush.ClosedPush>(member.GetPrimaryKey());

        Assert.Equal(new RecordingGatewayPush.ClosedPush(code, "host-lost"), closed);
        Assert.False((await host.GetStatusAsync()).Registered);
    }
}
