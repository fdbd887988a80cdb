using System.Net;
using Matchmaker.Client;
using Matchmaker.Gateway;
using Matchmaker.Grains;
using Matchmaker.Protocol.Stun;
using Matchmaker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// The gateway answers an idle player's unchanged heartbeats under the grain's renewal lease, over real UDP against
/// the real silo (production's lease: three heartbeat intervals). That no grain call happens is shown by losing the
/// player's grain first: a heartbeat that reached it would register the player in the fresh activation again.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class HeartbeatLeaseTests(SiloFixture silo)
{
    private static readonly IPEndPoint Lan = new(IPAddress.Parse("10.2.0.2"), 40001);

    private GatewayMetrics Metrics => silo.Services.GetRequiredService<GatewayMetrics>();

    [Fact]
    public async Task Heartbeats_inside_a_lease_are_answered_without_reaching_the_grain()
    {
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.23.1"));
        var player = await RawPlayer.RegisterAsync(socket);
        await RawRequests.HeartbeatAsync(socket, player, Lan);
        await LoseGrainAsync(player.Id);
        var leasedBefore = Metrics.Read(PacketType.Heartbeat, PacketResult.Leased);

        for (var beat = 0; beat < 3; beat++)
        {
            await RawRequests.HeartbeatAsync(socket, player, Lan);
        }

        Assert.False((await silo.Grains.GetGrain<IPlayerGrain>(player.Id).GetStatusAsync()).Registered);
        Assert.True(Metrics.Read(PacketType.Heartbeat, PacketResult.Leased) - leasedBefore >= 3);
    }

    [Fact]
    public async Task A_host_request_drops_the_lease_and_the_next_heartbeat_reaches_the_grain()
    {
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.23.2"));
        var player = await RawPlayer.RegisterAsync(socket);
        await RawRequests.HeartbeatAsync(socket, player, Lan);
        await LoseGrainAsync(player.Id);
        await RawRequests.HeartbeatAsync(socket, player, Lan);

        // The fresh activation knows no player: the host is refused, and the lease with it.
        var (_, refused) = await RawRequests.TryHostAsync(socket, player, "after loss", 2);
        await RawRequests.HeartbeatAsync(socket, player, Lan);
        var registered = (await silo.Grains.GetGrain<IPlayerGrain>(player.Id).GetStatusAsync()).Registered;
        var code = await RawRequests.HostAsync(socket, player, "after loss", 2);

        Assert.Equal("not-registered", refused);
        Assert.True(registered);
        Assert.Equal(code, (await silo.Grains.GetGrain<IPlayerGrain>(player.Id).GetStatusAsync()).LobbyCode);
    }

    [Fact]
    public async Task A_player_in_a_lobby_is_never_leased_so_a_lost_grain_hears_its_next_heartbeat()
    {
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.23.3"));
        var player = await RawPlayer.RegisterAsync(socket);
        var code = await RawRequests.HostAsync(socket, player, "leaseless", 3);
        var claim = new RawRequests.Claim(code, "leaseless", 3);
        await RawRequests.HeartbeatAsync(socket, player, Lan, claim);
        await RawRequests.HeartbeatAsync(socket, player, Lan, claim);
        await LoseGrainAsync(player.Id);

        await RawRequests.HeartbeatAsync(socket, player, Lan, claim);

        var status = await silo.Grains.GetGrain<IPlayerGrain>(player.Id).GetStatusAsync();
        Assert.True(status.Registered);
        Assert.Equal(code, status.LobbyCode);
    }

    [Fact]
    public async Task The_sdk_registers_again_and_retries_once_when_a_lost_grain_answers_not_registered()
    {
        await using var host = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway, Ipv6 = false, Upnp = false, ClassifyNat = false });
        await using var joiner = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway, Ipv6 = false, Upnp = false, ClassifyNat = false });

        // Both are idle and leased: losing their grains goes unnoticed by their heartbeats.
        await LoseGrainAsync(host.PlayerId);
        await LoseGrainAsync(joiner.PlayerId);
        var lobby = await host.HostAsync("recovered", 2);
        var joined = await joiner.JoinAsync(lobby.Code);

        Assert.Equal(2, joined.Players);
        Assert.Equal(lobby.Code, (await silo.Grains.GetGrain<IPlayerGrain>(joiner.PlayerId).GetStatusAsync()).LobbyCode);
    }

    private Task LoseGrainAsync(Guid player) =>
        silo.Grains.GetGrain<IManagementGrain>(0).DeactivateGrain(silo.Grains.GetGrain<IPlayerGrain>(player).GetGrainId());
}
