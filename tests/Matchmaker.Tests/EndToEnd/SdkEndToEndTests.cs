using System.Text;
using Matchmaker.Client;
using Matchmaker.Protocol.Control;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.EndToEnd;

[Collection(SiloCollection.Name)]
public sealed class SdkEndToEndTests(SiloFixture silo)
{
    [Fact]
    public async Task A_client_learns_its_public_IPv6_endpoint_by_a_Binding_to_the_address_the_gateway_names()
    {
        await using var client = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });

        Assert.Equal(System.Net.IPAddress.IPv6Loopback, client.Ipv6EndPoint?.Address);
        Assert.True(client.Nat!.Ipv6);
        Assert.Equal(client.Ipv6EndPoint, client.Nat.Ipv6EndPoint);
    }

    [Fact]
    public async Task A_client_told_not_to_use_IPv6_reports_none()
    {
        await using var client = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway, Ipv6 = false });

        Assert.Null(client.Ipv6EndPoint);
        Assert.False(client.Nat!.Ipv6);
    }

    [Fact]
    public async Task A_declared_open_port_is_advertised_on_the_public_address()
    {
        await using var client = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway, OpenPort = 0 });

        Assert.Equal(new System.Net.IPEndPoint(client.PublicEndPoint!.Address, client.LocalEndPoint.Port), client.ListenEndPoint);
        Assert.True(client.Nat!.OpenPort);
        Assert.False(client.Nat.Upnp);
    }

    [Fact]
    public async Task Two_players_meet_by_lobby_code_and_exchange_a_message_each_way()
    {
        await using var host = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        await using var joiner = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });

        var lobby = await host.HostAsync("e2e", maxPlayers: 2);
        var joined = await joiner.JoinAsync(lobby.Code.ToLowerInvariant());
        var hostSide = (await host.NextAsync<PeerConnected>()).Peer;
        var joinerSide = (await joiner.NextAsync<PeerConnected>()).Peer;

        Assert.Equal(lobby.Code, joined.Code);
        Assert.Equal(joiner.PlayerId, hostSide.PeerId);
        Assert.Equal(host.PlayerId, joinerSide.PeerId);
        Assert.True(joinerSide.PeerIsHost);
        Assert.Equal(ConnectMethod.Lan, hostSide.Method);

        hostSide.Send("hello joiner"u8);
        joinerSide.Send("hello host"u8);

        Assert.Equal("hello joiner", Encoding.UTF8.GetString((await joiner.NextAsync<PeerMessageReceived>()).Data.Span));
        Assert.Equal("hello host", Encoding.UTF8.GetString((await host.NextAsync<PeerMessageReceived>()).Data.Span));
    }

    [Fact]
    public async Task Every_member_of_a_lobby_is_introduced_to_every_other()
    {
        await using var host = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        await using var second = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        await using var third = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        var lobby = await host.HostAsync("trio", maxPlayers: 3);

        await second.JoinAsync(lobby.Code);
        await second.NextAsync<PeerConnected>();
        await host.NextAsync<PeerConnected>();
        await third.JoinAsync(lobby.Code);
        var thirdPeers = new[] { (await third.NextAsync<PeerConnected>()).Peer.PeerId, (await third.NextAsync<PeerConnected>()).Peer.PeerId };
        await host.NextAsync<PeerConnected>();
        await second.NextAsync<PeerConnected>();

        Assert.Equal(new[] { host.PlayerId, second.PlayerId }.Order(), thirdPeers.Order());
        Assert.Equal(2, host.Peers.Count);
        Assert.Equal(2, second.Peers.Count);
    }

    [Fact]
    public async Task Join_with_unknown_code_fails_with_lobby_not_found()
    {
        await using var player = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });

        var failure = await Assert.ThrowsAsync<MatchmakerException>(() => player.JoinAsync(LobbyCode.Generate()));

        Assert.Equal("lobby-not-found", failure.Code);
    }

    [Fact]
    public async Task Hosted_lobby_appears_in_the_list()
    {
        await using var host = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        await using var browser = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        var lobby = await host.HostAsync("listed", maxPlayers: 4);

        // The lobby list is cached for a second by design; re-ask until it shows.
        var listed = await Eventually.ReachesAsync(() => browser.ListLobbiesAsync(), lobbies => lobbies.Any(l => l.Code == lobby.Code));

        Assert.Contains(new LobbyInfo(lobby.Code, "listed", 1, 4), listed);
    }

    [Fact]
    public async Task Host_leaving_closes_the_lobby_for_the_joiner()
    {
        var host = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        await using var joiner = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        var lobby = await host.HostAsync("short-lived", maxPlayers: 2);
        await joiner.JoinAsync(lobby.Code);
        await joiner.NextAsync<PeerConnected>();

        await host.DisposeAsync();
        var seen = await joiner.CollectAsync(e => e is PeerDisconnected or LobbyClosed, count: 2);

        Assert.Contains(seen, e => e is PeerDisconnected { Reason: "peer-left" });
        Assert.Contains(new LobbyClosed(lobby.Code, "host-left"), seen);
        Assert.Null(joiner.LobbyCode);
    }
}
