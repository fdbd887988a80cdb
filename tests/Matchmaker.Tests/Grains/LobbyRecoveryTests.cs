using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Tests.Grains;

/// <summary>
/// Lobbies are soft state: a session or player grain lost with its silo is rebuilt from what the next
/// heartbeats restate. Losing a grain is simulated by dropping its activation (the management grain's
/// DeactivateGrain), which discards its state exactly as a dead silo does.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LobbyRecoveryTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_lost_lobby_reopens_under_its_code_on_the_host_heartbeat_and_takes_its_member_back()
    {
        var host = await cluster.RegisterAsync("198.51.100.60");
        var member = await cluster.RegisterAsync("203.0.113.60");
        var code = (await host.HostLobbyAsync(new LobbySpec("kept", 4), Guid.NewGuid())).Lobby!.Code;
        await member.JoinLobbyAsync(code, Guid.NewGuid());
        var session = cluster.Client.GetGrain<ISessionGrain>(code);

        await cluster.LoseAsync(session);
        await cluster.HeartbeatAsync(member, "203.0.113.60");
        await cluster.HeartbeatAsync(host, "198.51.100.60");

        Assert.Equal(new LobbySummary(code, "kept", 2, 4), await session.GetSummaryAsync());
        Assert.Equal(code, (await member.GetStatusAsync()).LobbyCode);
    }

    [Fact]
    public async Task Fresh_player_grains_rebuild_their_lobby_from_the_claims_their_heartbeats_carry()
    {
        var code = LobbyCode.Generate();
        var host = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());
        var member = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());

        await cluster.HeartbeatAsync(member, "203.0.113.61", lobby: new LobbyClaim(code, null));
        await cluster.HeartbeatAsync(host, "198.51.100.61", lobby: new LobbyClaim(code, new LobbySpec("rebuilt", 3)));

        Assert.Equal(new LobbySummary(code, "rebuilt", 2, 3), await cluster.Client.GetGrain<ISessionGrain>(code).GetSummaryAsync());
        Assert.Equal(code, (await host.GetStatusAsync()).LobbyCode);
        Assert.Equal(code, (await member.GetStatusAsync()).LobbyCode);
    }

    [Fact]
    public async Task A_claim_to_a_code_another_host_owns_is_refused_and_the_claimant_told_host_lost()
    {
        var owner = await cluster.RegisterAsync("198.51.100.62");
        var code = (await owner.HostLobbyAsync(new LobbySpec("owned", 4), Guid.NewGuid())).Lobby!.Code;
        var claimant = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());

        await cluster.HeartbeatAsync(claimant, "203.0.113.62", lobby: new LobbyClaim(code, new LobbySpec("usurped", 4)));

        Assert.Equal(new RecordingGatewayPush.ClosedPush(code, "host-lost"), await cluster.Pushes.NextAsync<RecordingGatewayPush.ClosedPush>(claimant.GetPrimaryKey()));
        Assert.Null((await claimant.GetStatusAsync()).LobbyCode);
        Assert.Equal(new LobbySummary(code, "owned", 1, 4), await cluster.Client.GetGrain<ISessionGrain>(code).GetSummaryAsync());
    }

    [Fact]
    public async Task A_grain_that_saw_its_player_leave_ignores_a_stale_claim()
    {
        var host = await cluster.RegisterAsync("198.51.100.63");
        var code = (await host.HostLobbyAsync(new LobbySpec("gone", 4), Guid.NewGuid())).Lobby!.Code;
        await host.LeaveLobbyAsync();

        await cluster.HeartbeatAsync(host, "198.51.100.63", lobby: new LobbyClaim(code, new LobbySpec("gone", 4)));

        Assert.Null((await host.GetStatusAsync()).LobbyCode);
        Assert.Null(await cluster.Client.GetGrain<ISessionGrain>(code).GetSummaryAsync());
    }

    [Fact]
    public async Task A_member_whose_host_never_returns_is_told_host_lost_after_a_registration_lifetime()
    {
        var code = LobbyCode.Generate();
        var member = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());
        var claim = new LobbyClaim(code, null);
        var lifetime = cluster.PlayerOptions.RegistrationLifetime;

        await cluster.HeartbeatAsync(member, "203.0.113.64", lobby: claim);
        var waiting = (await member.GetStatusAsync()).LobbyCode;
        cluster.Clock.Advance(lifetime - TimeSpan.FromSeconds(1));
        await cluster.HeartbeatAsync(member, "203.0.113.64", lobby: claim);
        cluster.Clock.Advance(TimeSpan.FromSeconds(2));
        await cluster.HeartbeatAsync(member, "203.0.113.64", lobby: claim);

        Assert.Equal(code, waiting);
        Assert.Equal(new RecordingGatewayPush.ClosedPush(code, "host-lost"), await cluster.Pushes.NextAsync<RecordingGatewayPush.ClosedPush>(member.GetPrimaryKey()));
        Assert.Null((await member.GetStatusAsync()).LobbyCode);
    }

    [Fact]
    public async Task An_index_entry_no_host_refreshes_drops_out_of_the_list_after_a_registration_lifetime()
    {
        var code = LobbyCode.Generate();
        await cluster.Client.GetGrain<ILobbyIndexGrain>(LobbyIndexShards.ShardOf(code)).UpsertAsync(new LobbySummary(code, "orphan", 1, 4));
        var browser = cluster.Client.GetGrain<ILobbyBrowserGrain>(0);

        // The browser caches for a second of grain time.
        cluster.Clock.Advance(TimeSpan.FromSeconds(2));
        var before = await browser.ListAsync(1000);
        cluster.Clock.Advance(cluster.PlayerOptions.RegistrationLifetime);
        var after = await browser.ListAsync(1000);

        Assert.Contains(code, before.Select(l => l.Code));
        Assert.DoesNotContain(code, after.Select(l => l.Code));
    }
}
