using System.Net;
using Matchmaker.Grains;
using Matchmaker.Protocol.Stun;
using Matchmaker.Tests.Infrastructure;
using Matchmaker.Tests.Protocol;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// The gateway's grain calls start on thread-pool workers, never on a socket's dedicated receive thread.
/// Orleans keeps each call's response completion source in per-thread pools with no cap, taken on the
/// calling thread and given back on the thread that reads the answer; calls made from the receive thread
/// left one 64-byte object on some worker's pool per request, the slow live-heap rise of the 10 000-player
/// soak (docs/reliability.md). The fixture's silo records each player-grain call's thread.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ControlCallThreadTests(SiloFixture silo)
{
    [Fact]
    public async Task Registration_heartbeats_and_lobby_requests_call_player_grains_from_thread_pool_threads()
    {
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.22.1"));
        var player = await RawPlayer.RegisterAsync(socket);
        for (var i = 0; i < 5; i++)
        {
            // Each restates a changed LAN endpoint, so each reaches the grain: an unchanged one of an idle player
            // would be answered by the gateway under the grain's renewal lease, with no call to record.
            await RawRequests.HeartbeatAsync(socket, player, new IPEndPoint(IPAddress.Parse("10.3.0.2"), 40000 + i));
        }

        await RawRequests.HostAsync(socket, player, "threads", 2);
        var left = StunTestMessages.Parse(await RawRequests.AnswerAsync(socket, player.Signed(StunMethods.Leave)));
        Assert.Equal(StunClass.SuccessResponse, left.Type.Class);

        var calls = silo.PlayerCalls.CallsTo(silo.Grains.GetGrain<IPlayerGrain>(player.Id).GetGrainId());
        Assert.Contains(calls, call => call.Method == "HeartbeatAsync");
        Assert.Contains(calls, call => call.Method == "RefreshAsync");
        Assert.Contains(calls, call => call.Method == "HostLobbyAsync");
        Assert.Contains(calls, call => call.Method == "LeaveLobbyAsync");
        Assert.All(calls, call => Assert.True(call.PoolThread, $"{call.Method} was called from thread {call.Thread}"));
    }
}
