using System.Net;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Relay;
using Matchmaker.Relay;
using Matchmaker.Tests.Grains;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Relay;

/// <summary>
/// The cluster side of relays on a TestingHost cluster with fake time: reservations go to the
/// least-loaded live node, a node that stops heartbeating fails its reservations loudly, and a player's
/// allocation cap holds across nodes — with real relay nodes on loopback sockets heartbeating into the
/// cluster, so what the nodes report and revoke is the product's own.
/// </summary>
[Collection(RelayClusterCollection.Name)]
public sealed class RelayDirectoryTests(ClusterFixture cluster)
{
    private static readonly NatCapabilities Symmetric = new(NatMapping.AddressAndPortDependent, NatFiltering.AddressAndPortDependent, false, false, false);
    private static readonly NatCapabilities PortRestricted = new(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent, false, false, false);
    private static readonly TimeSpan DeadAfter = new RelayDirectoryOptions().DeadAfter;
    private static readonly TimeSpan SnapshotMaxAge = new RelayDirectoryOptions().SnapshotMaxAge;

    /// <summary>The cluster-wide cap the fixture configures (<c>RelayDirectory:MaxAllocationsPerPlayer</c>).</summary>
    private const int ClusterCap = ClusterFixture.RelayAllocationsPerPlayer;

    [Fact]
    public async Task A_join_with_no_direct_path_gets_one_allocation_on_the_least_loaded_node_with_a_token_each()
    {
        await ForgetEarlierNodesAsync();
        var busy = await NodeAsync("busy", capacity: 10, active: 8);
        var idle = await NodeAsync("idle", capacity: 10, active: 1);
        var (host, joiner, result) = await JoinAsync(Symmetric, PortRestricted);

        Assert.Equal(LobbyStatus.Ok, result.Status);
        var atJoiner = Assert.Single(result.Introductions);
        var atHost = await cluster.Pushes.NextAsync<Introduction>(host.GetPrimaryKey());
        Assert.Equal(ConnectMethod.Relay, atJoiner.Method);
        Assert.Equal(ConnectMethod.Relay, atHost.Method);
        Assert.Equal(idle.Endpoint, atJoiner.Relay!.Endpoint);
        Assert.True(RelayToken.TryRead(atJoiner.Relay.Token, out var joinerToken));
        Assert.True(RelayToken.TryRead(atHost.Relay!.Token, out var hostToken));
        Assert.Equal(joinerToken.AllocationId, hostToken.AllocationId);
        Assert.NotEqual(joinerToken.Side, hostToken.Side);
        Assert.Equal(RelayToken.TagOf(joiner.GetPrimaryKey()), joinerToken.PlayerTag);
        Assert.Equal(RelayToken.DeriveKey(idle.Secret, atJoiner.Relay.Token), atJoiner.Relay.Key);
        Assert.Equal(RelayToken.DeriveKey(idle.Secret, atHost.Relay.Token), atHost.Relay.Key);
        Assert.NotEqual(RelayToken.DeriveKey(busy.Secret, atHost.Relay.Token), atHost.Relay.Key);
    }

    [Fact]
    public async Task A_join_with_a_direct_path_never_reserves_a_relay()
    {
        await ForgetEarlierNodesAsync();
        await NodeAsync("unused", capacity: 10, active: 0);
        var (_, _, result) = await JoinAsync(PortRestricted, PortRestricted);

        Assert.Equal(ConnectMethod.Direct, Assert.Single(result.Introductions).Method);
        Assert.Null(result.Introductions[0].Relay);
    }

    [Fact]
    public async Task A_full_node_is_passed_over_and_with_every_node_full_the_join_is_relay_required()
    {
        await ForgetEarlierNodesAsync();
        await NodeAsync("full", capacity: 1, active: 1);
        var (_, _, refused) = await JoinAsync(Symmetric, Symmetric);
        Assert.Equal(LobbyStatus.RelayRequired, refused.Status);

        var spare = await NodeAsync("spare", capacity: 1, active: 0);
        cluster.Clock.Advance(new RelayDirectoryOptions().SnapshotMaxAge);
        var (_, _, accepted) = await JoinAsync(Symmetric, Symmetric);
        Assert.Equal(spare.Endpoint, Assert.Single(accepted.Introductions).Relay!.Endpoint);
    }

    [Fact]
    public async Task A_node_that_stops_heartbeating_tells_both_players_and_the_next_join_uses_another_node()
    {
        await ForgetEarlierNodesAsync();
        var doomed = await NodeAsync("doomed", capacity: 10, active: 0);
        var (host, joiner, first) = await JoinAsync(Symmetric, Symmetric);
        var introduction = Assert.Single(first.Introductions);
        Assert.Equal(doomed.Endpoint, introduction.Relay!.Endpoint);

        // Only the survivor keeps heartbeating (never a dead line apart) while time passes the doomed node's.
        var survivor = await NodeAsync("survivor", capacity: 10, active: 5);
        foreach (var step in new[] { DeadAfter / 2, (DeadAfter / 2) + TimeSpan.FromSeconds(1) })
        {
            cluster.Clock.Advance(step);
            await cluster.Client.GetGrain<IRelayNodeGrain>(survivor.Id).HeartbeatAsync(survivor.Status);
        }

        await KeepPlayersAliveAsync(host, joiner);

        var lostAtJoiner = await cluster.Pushes.NextAsync<RecordingGatewayPush.RelayLostPush>(joiner.GetPrimaryKey(), TimeSpan.FromSeconds(30));
        var lostAtHost = await cluster.Pushes.NextAsync<RecordingGatewayPush.RelayLostPush>(host.GetPrimaryKey(), TimeSpan.FromSeconds(30));
        Assert.Equal(introduction.IntroductionId, lostAtJoiner.IntroductionId);
        Assert.Equal(introduction.IntroductionId, lostAtHost.IntroductionId);

        cluster.Clock.Advance(new RelayDirectoryOptions().SnapshotMaxAge);
        var (_, _, next) = await JoinAsync(Symmetric, Symmetric);
        Assert.Equal(survivor.Endpoint, Assert.Single(next.Introductions).Relay!.Endpoint);
    }

    [Fact]
    public async Task A_player_at_its_cap_is_refused_even_with_room_on_every_node_until_one_of_its_allocations_closes()
    {
        await ForgetEarlierNodesAsync();
        await using var first = await RealNodeAsync("first");
        await using var second = await RealNodeAsync("second");
        var beats = new[] { first.HeartbeatTo(cluster.Client), second.HeartbeatTo(cluster.Client) };
        await BeatAsync(beats);
        await Eventually.ReachesAsync(() => cluster.Client.GetGrain<IRelayRegistryGrain>(0).GetNodesAsync(), nodes => nodes.Length == 2);

        // The player takes its whole cap in successive relayed joins, bound on the real nodes and spread over both.
        var player = await cluster.RegisterAsync("203.0.113.62", Symmetric);
        var clients = new List<RelayTestClient>();
        try
        {
            for (var i = 0; i < ClusterCap; i++)
            {
                var introduction = Assert.Single((await JoinAsync(player)).Introductions);
                var client = new RelayTestClient(introduction.Relay!.Endpoint, new RelayTicket(introduction.Relay.Endpoint, introduction.Relay.Token, introduction.Relay.Key));
                clients.Add(client);
                Assert.Null((await client.BindAsync()).Error);
                await BeatAsync(beats);
                cluster.Clock.Advance(SnapshotMaxAge);
            }

            Assert.Equal(ClusterCap, first.Table.Count + second.Table.Count);
            Assert.True(first.Table.Count > 0 && second.Table.Count > 0, "the allocations landed on both nodes");
            Assert.True(first.Table.Count < first.Options.MaxAllocationsPerPlayer && second.Table.Count < second.Options.MaxAllocationsPerPlayer, "neither node's own cap is reached");

            var refused = await JoinAsync(player);
            Assert.Equal(LobbyStatus.RateLimited, refused.Status);

            // One allocation goes idle and closes on its node; the node's next heartbeat gives the player room again.
            // (The node's own once-a-second sweep runs on its fake clock, so advancing it closes them.)
            var quiet = first.Table.Count > 0 ? first : second;
            var closed = quiet.Table.Count;
            quiet.Clock.Advance(quiet.Options.IdleTimeout + TimeSpan.FromSeconds(1));
            Assert.Equal(0, await Eventually.ReachesAsync(() => Task.FromResult(quiet.Table.Count), n => n == 0));
            await BeatAsync(beats);
            var held = await Eventually.ReachesAsync(() => cluster.Client.GetGrain<IRelayQuotaGrain>(player.GetPrimaryKey()).CountAsync(), n => n == ClusterCap - closed);
            Assert.Equal(ClusterCap - closed, held);
            cluster.Clock.Advance(SnapshotMaxAge);

            var accepted = await JoinAsync(player);
            Assert.Equal(LobbyStatus.Ok, accepted.Status);
            Assert.Equal(ConnectMethod.Relay, Assert.Single(accepted.Introductions).Method);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_reservation_nobody_binds_is_withdrawn_after_the_bind_window_and_its_token_no_longer_opens_it()
    {
        await ForgetEarlierNodesAsync();
        await using var node = await RealNodeAsync("unbound");
        var beat = node.HeartbeatTo(cluster.Client);
        await beat.BeatAsync();
        await Eventually.ReachesAsync(() => cluster.Client.GetGrain<IRelayRegistryGrain>(0).GetNodesAsync(), nodes => nodes.Length == 1);
        var player = await cluster.RegisterAsync("203.0.113.62", Symmetric);
        var pass = Assert.Single((await JoinAsync(player)).Introductions).Relay!;
        Assert.Equal(1, await cluster.Client.GetGrain<IRelayQuotaGrain>(player.GetPrimaryKey()).CountAsync());

        // Time passes the bind window with the node heartbeating all along (never a dead line apart).
        var window = new RelayDirectoryOptions().BindWindow;
        for (var passed = TimeSpan.Zero; passed <= window; passed += DeadAfter / 2)
        {
            cluster.Clock.Advance(DeadAfter / 2);
            await beat.BeatAsync();
        }

        Assert.Equal(0, await Eventually.ReachesAsync(() => cluster.Client.GetGrain<IRelayQuotaGrain>(player.GetPrimaryKey()).CountAsync(), held => held == 0));
        using var late = new RelayTestClient(pass.Endpoint, new RelayTicket(pass.Endpoint, pass.Token, pass.Key));
        Assert.Equal(RelayErrors.Expired.Code, (await late.BindAsync()).Error);
        Assert.Equal(0, node.Table.Count);
    }

    /// <summary>Nodes of earlier tests stop heartbeating; moving past the dead line retires them.</summary>
    private async Task ForgetEarlierNodesAsync()
    {
        cluster.Clock.Advance(DeadAfter + TimeSpan.FromSeconds(1));
        await Eventually.ReachesAsync(
            () => cluster.Client.GetGrain<IRelayRegistryGrain>(0).GetNodesAsync(),
            nodes => nodes.IsEmpty);
    }

    private async Task<(string Id, IPEndPoint Endpoint, byte[] Secret, RelayNodeStatus Status)> NodeAsync(string name, int capacity, int active)
    {
        var id = $"{name}-{Guid.NewGuid():N}";
        var endpoint = new IPEndPoint(IPAddress.Parse("198.51.100.50"), 3480 + Random.Shared.Next(1, 1000));
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var status = new RelayNodeStatus(endpoint, capacity, active, secret, 16, [], []);
        await cluster.Client.GetGrain<IRelayNodeGrain>(id).HeartbeatAsync(status);
        await Eventually.ReachesAsync(
            () => cluster.Client.GetGrain<IRelayRegistryGrain>(0).GetNodesAsync(),
            nodes => nodes.Any(n => n.NodeId == id));
        return (id, endpoint, secret, status);
    }

    /// <summary>A real relay node whose clock reads the cluster's time, so the cluster's tokens are current there.</summary>
    private Task<RelayHarness> RealNodeAsync(string name) =>
        RelayHarness.StartAsync(options => options.NodeId = $"{name}-{Guid.NewGuid():N}", cluster.Clock.GetUtcNow());

    private static async Task BeatAsync(IEnumerable<RelayHeartbeatService> beats)
    {
        foreach (var beat in beats)
        {
            await beat.BeatAsync();
        }
    }

    /// <summary><paramref name="joiner"/> joins a fresh symmetric host's lobby: one pair, no direct path.</summary>
    private async Task<LobbyResult> JoinAsync(IPlayerGrain joiner)
    {
        var host = await cluster.RegisterAsync("203.0.113.61", Symmetric);
        var code = (await host.HostLobbyAsync(new LobbySpec("relayed", 2), Guid.NewGuid())).Lobby!.Code;
        return await joiner.JoinLobbyAsync(code, Guid.NewGuid());
    }

    private async Task<(IPlayerGrain Host, IPlayerGrain Joiner, LobbyResult Result)> JoinAsync(NatCapabilities hostNat, NatCapabilities joinerNat)
    {
        var host = await cluster.RegisterAsync("203.0.113.61", hostNat);
        var code = (await host.HostLobbyAsync(new LobbySpec("relayed", 2), Guid.NewGuid())).Lobby!.Code;
        var joiner = await cluster.RegisterAsync("203.0.113.62", joinerNat);
        return (host, joiner, await joiner.JoinLobbyAsync(code, Guid.NewGuid()));
    }

    private async Task KeepPlayersAliveAsync(IPlayerGrain host, IPlayerGrain joiner)
    {
        await cluster.HeartbeatAsync(host, "203.0.113.61", Symmetric);
        await cluster.HeartbeatAsync(joiner, "203.0.113.62", Symmetric);
    }
}
