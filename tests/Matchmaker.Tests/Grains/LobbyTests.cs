using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class LobbyTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Host_gets_a_well_formed_lobby_code()
    {
        var host = await cluster.RegisterAsync("198.51.100.20");

        var result = await host.HostLobbyAsync(new LobbySpec("friday", 4), Guid.NewGuid());

        Assert.Equal(LobbyStatus.Ok, result.Status);
        Assert.True(LobbyCode.TryNormalize(result.Lobby!.Code, out var normalized));
        Assert.Equal(result.Lobby.Code, normalized);
        Assert.Equal((await host.GetStatusAsync()).LobbyCode, result.Lobby.Code);
    }

    [Fact]
    public async Task Join_with_unknown_code_returns_lobby_not_found()
    {
        var player = await cluster.RegisterAsync("198.51.100.21");

        var result = await player.JoinLobbyAsync(LobbyCode.Generate(), Guid.NewGuid());

        Assert.Equal(LobbyStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task Unregistered_player_cannot_host_or_join()
    {
        var stranger = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());

        Assert.Equal(LobbyStatus.NotRegistered, (await stranger.HostLobbyAsync(new LobbySpec("x", 2), Guid.NewGuid())).Status);
        Assert.Equal(LobbyStatus.NotRegistered, (await stranger.JoinLobbyAsync("ABCDEFG", Guid.NewGuid())).Status);
    }

    [Theory]
    [InlineData("", 4)]
    [InlineData("name", 1)]
    [InlineData("name", 17)]
    public async Task Invalid_lobby_spec_is_refused(string name, int maxPlayers)
    {
        var host = await cluster.RegisterAsync("198.51.100.22");

        Assert.Equal(LobbyStatus.InvalidSpec, (await host.HostLobbyAsync(new LobbySpec(name, maxPlayers), Guid.NewGuid())).Status);
    }

    [Fact]
    public async Task Join_introduces_both_sides_with_the_same_secret_and_method()
    {
        var host = await cluster.RegisterAsync("198.51.100.23");
        var joiner = await cluster.RegisterAsync("203.0.113.23");
        var code = (await host.HostLobbyAsync(new LobbySpec("pair", 2), Guid.NewGuid())).Lobby!.Code;

        var result = await joiner.JoinLobbyAsync(code, Guid.NewGuid());
        var toHost = await cluster.Pushes.NextAsync<Introduction>(host.GetPrimaryKey());
        var toJoiner = await cluster.Pushes.NextAsync<Introduction>(joiner.GetPrimaryKey());

        Assert.Equal(LobbyStatus.Ok, result.Status);
        Assert.Equal(2, result.Lobby!.Players);
        Assert.Equal(toHost.IntroductionId, toJoiner.IntroductionId);
        Assert.Equal(toHost.Secret, toJoiner.Secret);
        Assert.True(toHost.Secret.Length >= 16, "the secret has at least 128 bits");
        Assert.Equal(ConnectMethod.Direct, toHost.Method);
        Assert.Equal(joiner.GetPrimaryKey(), toHost.Peer.PlayerId);
        Assert.Equal(host.GetPrimaryKey(), toJoiner.Peer.PlayerId);
        Assert.True(toJoiner.PeerIsHost);
        Assert.False(toHost.PeerIsHost);
    }

    [Fact]
    public async Task Full_lobby_refuses_another_player()
    {
        var host = await cluster.RegisterAsync("198.51.100.24");
        var code = (await host.HostLobbyAsync(new LobbySpec("duel", 2), Guid.NewGuid())).Lobby!.Code;
        Assert.Equal(LobbyStatus.Ok, (await (await cluster.RegisterAsync("203.0.113.24")).JoinLobbyAsync(code, Guid.NewGuid())).Status);

        var third = await (await cluster.RegisterAsync("203.0.113.25")).JoinLobbyAsync(code, Guid.NewGuid());

        Assert.Equal(LobbyStatus.Full, third.Status);
    }

    [Fact]
    public async Task Member_leaving_frees_a_place()
    {
        var host = await cluster.RegisterAsync("198.51.100.26");
        var code = (await host.HostLobbyAsync(new LobbySpec("duel", 2), Guid.NewGuid())).Lobby!.Code;
        var first = await cluster.RegisterAsync("203.0.113.26");
        await first.JoinLobbyAsync(code, Guid.NewGuid());

        await first.LeaveLobbyAsync();
        var second = await (await cluster.RegisterAsync("203.0.113.27")).JoinLobbyAsync(code, Guid.NewGuid());

        Assert.Equal(LobbyStatus.Ok, second.Status);
        Assert.Equal(2, second.Lobby!.Players);
    }

    [Fact]
    public async Task Host_leaving_closes_the_lobby_and_tells_the_members()
    {
        var host = await cluster.RegisterAsync("198.51.100.28");
        var code = (await host.HostLobbyAsync(new LobbySpec("party", 4), Guid.NewGuid())).Lobby!.Code;
        var member = await cluster.RegisterAsync("203.0.113.28");
        await member.JoinLobbyAsync(code, Guid.NewGuid());

        await host.LeaveLobbyAsync();
        var closed = await cluster.Pushes.NextAsync<RecordingGatewayPush.ClosedPush>(member.GetPrimaryKey());

        Assert.Equal(new RecordingGatewayPush.ClosedPush(code, "host-left"), closed);
        Assert.Equal(LobbyStatus.NotFound, (await (await cluster.RegisterAsync("203.0.113.29")).JoinLobbyAsync(code, Guid.NewGuid())).Status);
        Assert.Null((await member.GetStatusAsync()).LobbyCode);
    }

    [Fact]
    public async Task Host_loss_ends_the_lobby()
    {
        var host = await cluster.RegisterAsync("198.51.100.30");
        var code = (await host.HostLobbyAsync(new LobbySpec("party", 4), Guid.NewGuid())).Lobby!.Code;
        var member = await cluster.RegisterAsync("203.0.113.30");
        await member.JoinLobbyAsync(code, Guid.NewGuid());

        // The member keeps heartbeating; the host falls silent past its registration lifetime.
        var lifetime = cluster.PlayerOptions.RegistrationLifetime;
        cluster.Clock.Advance(lifetime - cluster.PlayerOptions.HeartbeatInterval);
        await cluster.HeartbeatAsync(member, "203.0.113.30");
        cluster.Clock.Advance(cluster.PlayerOptions.HeartbeatInterval * 2);
        var closed = await cluster.Pushes.NextAsync<RecordingGatewayPush.ClosedPush>(member.GetPrimaryKey());

        Assert.Equal(new RecordingGatewayPush.ClosedPush(code, "host-lost"), closed);
        Assert.Null(await cluster.Client.GetGrain<ISessionGrain>(code).GetSummaryAsync());
    }

    [Fact]
    public async Task A_live_code_is_never_opened_twice()
    {
        var host = await cluster.RegisterAsync("198.51.100.31");
        var code = (await host.HostLobbyAsync(new LobbySpec("mine", 4), Guid.NewGuid())).Lobby!.Code;
        var intruder = new PeerCard(Guid.NewGuid(), new System.Net.IPEndPoint(System.Net.IPAddress.Parse("203.0.113.31"), 1), [], default);

        var reopened = await cluster.Client.GetGrain<ISessionGrain>(code).OpenAsync(intruder, new LobbySpec("theirs", 4));

        Assert.False(reopened);
        Assert.Equal("mine", (await cluster.Client.GetGrain<ISessionGrain>(code).GetSummaryAsync())!.Name);
    }

    [Fact]
    public async Task Lobby_list_shows_open_lobbies_with_room_only()
    {
        var open = (await (await cluster.RegisterAsync("198.51.100.32")).HostLobbyAsync(new LobbySpec("open-one", 4), Guid.NewGuid())).Lobby!.Code;
        var fullHost = await cluster.RegisterAsync("198.51.100.33");
        var full = (await fullHost.HostLobbyAsync(new LobbySpec("full-one", 2), Guid.NewGuid())).Lobby!.Code;
        await (await cluster.RegisterAsync("203.0.113.33")).JoinLobbyAsync(full, Guid.NewGuid());
        var closedHost = await cluster.RegisterAsync("198.51.100.34");
        var closed = (await closedHost.HostLobbyAsync(new LobbySpec("closed-one", 4), Guid.NewGuid())).Lobby!.Code;
        await closedHost.LeaveLobbyAsync();

        // The browser caches for a second of grain time.
        cluster.Clock.Advance(TimeSpan.FromSeconds(2));
        var listed = (await cluster.Client.GetGrain<ILobbyBrowserGrain>(0).ListAsync(1000)).Select(l => l.Code).ToList();

        Assert.Contains(open, listed);
        Assert.DoesNotContain(full, listed);
        Assert.DoesNotContain(closed, listed);
    }

    [Fact]
    public async Task A_retransmitted_host_request_returns_the_same_lobby_and_keeps_it_open()
    {
        var host = await cluster.RegisterAsync("198.51.100.35");
        var requestId = Guid.NewGuid();

        var first = await host.HostLobbyAsync(new LobbySpec("once", 4), requestId);
        var again = await host.HostLobbyAsync(new LobbySpec("once", 4), requestId);

        Assert.Equal(first.Lobby!.Code, again.Lobby!.Code);
        Assert.NotNull(await cluster.Client.GetGrain<ISessionGrain>(first.Lobby.Code).GetSummaryAsync());
        Assert.Equal(first.Lobby.Code, (await host.GetStatusAsync()).LobbyCode);
    }

    [Fact]
    public async Task A_retransmitted_join_request_introduces_only_once()
    {
        var host = await cluster.RegisterAsync("198.51.100.36");
        var code = (await host.HostLobbyAsync(new LobbySpec("once", 4), Guid.NewGuid())).Lobby!.Code;
        var joiner = await cluster.RegisterAsync("203.0.113.36");
        var requestId = Guid.NewGuid();

        var first = await joiner.JoinLobbyAsync(code, requestId);
        var again = await joiner.JoinLobbyAsync(code, requestId);

        Assert.Single(first.Introductions);
        Assert.Empty(again.Introductions);
        Assert.Equal(LobbyStatus.Ok, again.Status);
        Assert.Equal(2, (await cluster.Client.GetGrain<ISessionGrain>(code).GetSummaryAsync())!.Players);
    }

    [Fact]
    public async Task Join_without_a_direct_path_and_no_relay_node_is_refused_as_relay_required_and_introduces_no_one()
    {
        var symmetric = new Matchmaker.Protocol.Control.NatCapabilities(NatMapping.AddressAndPortDependent, NatFiltering.AddressAndPortDependent, false, false, false);
        var host = await cluster.RegisterAsync("198.51.100.37", symmetric);
        var code = (await host.HostLobbyAsync(new LobbySpec("strict", 4), Guid.NewGuid())).Lobby!.Code;
        var joiner = await cluster.RegisterAsync("203.0.113.37", symmetric);

        var result = await joiner.JoinLobbyAsync(code, Guid.NewGuid());

        Assert.Equal(LobbyStatus.RelayRequired, result.Status);
        Assert.Equal(1, (await cluster.Client.GetGrain<ISessionGrain>(code).GetSummaryAsync())!.Players);
        Assert.Null((await joiner.GetStatusAsync()).LobbyCode);
    }

    [Fact]
    public async Task A_player_guessing_codes_is_refused_after_ten_failures_until_a_minute_has_passed()
    {
        var guesser = await cluster.RegisterAsync("198.51.100.40");

        for (var guess = 0; guess < cluster.PlayerOptions.MaxFailedJoinsPerMinute; guess++)
        {
            Assert.Equal(LobbyStatus.NotFound, (await guesser.JoinLobbyAsync(LobbyCode.Generate(), Guid.NewGuid())).Status);
        }

        Assert.Equal(LobbyStatus.RateLimited, (await guesser.JoinLobbyAsync(LobbyCode.Generate(), Guid.NewGuid())).Status);
        await AMinuteLaterAsync(guesser, "198.51.100.40");
        Assert.Equal(LobbyStatus.NotFound, (await guesser.JoinLobbyAsync(LobbyCode.Generate(), Guid.NewGuid())).Status);
    }

    [Fact]
    public async Task A_player_may_open_ten_lobbies_a_minute()
    {
        var host = await cluster.RegisterAsync("198.51.100.41");

        for (var lobby = 0; lobby < cluster.PlayerOptions.MaxLobbiesHostedPerMinute; lobby++)
        {
            Assert.Equal(LobbyStatus.Ok, (await host.HostLobbyAsync(new LobbySpec("churn", 2), Guid.NewGuid())).Status);
        }

        Assert.Equal(LobbyStatus.RateLimited, (await host.HostLobbyAsync(new LobbySpec("churn", 2), Guid.NewGuid())).Status);
        await AMinuteLaterAsync(host, "198.51.100.41");
        Assert.Equal(LobbyStatus.Ok, (await host.HostLobbyAsync(new LobbySpec("churn", 2), Guid.NewGuid())).Status);
    }

    /// <summary>A minute passes while the player keeps heartbeating, so it never expires on the way.</summary>
    private async Task AMinuteLaterAsync(IPlayerGrain player, string publicIp)
    {
        for (var step = 0; step < 3; step++)
        {
            cluster.Clock.Advance(TimeSpan.FromSeconds(20));
            await cluster.HeartbeatAsync(player, publicIp);
        }
    }
}
