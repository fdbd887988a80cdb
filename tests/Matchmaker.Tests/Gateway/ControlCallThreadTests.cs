using System.Net;
using Matchmaker.Grains;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;

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
        var (player, key) = await RawControl.RegisterAsync(socket);
        for (var i = 0; i < 5; i++)
        {
            // Each restates a changed LAN endpoint, so each reaches the grain: an unchanged one of an idle player
            // would be answered by the gateway under the grain's renewal lease, with no call to record.
            var lan = new IPEndPoint(IPAddress.Parse("10.3.0.2"), 40000 + i);
            await AnsweredAsync(socket, RawControl.Signed(StunMethods.Heartbeat, player, key, (ref StunMessageWriter w) =>
            {
                w.AppendUInt32(StunAttributeType.NatCapabilities, 0);
                w.AppendXorAddress(StunAttributeType.LanEndpoint, lan);
            }));
        }

        await AnsweredAsync(socket, RawControl.Signed(StunMethods.Host, player, key, (ref StunMessageWriter w) =>
        {
            w.AppendString(StunAttributeType.LobbyName, "threads", 32);
            w.AppendUInt32(StunAttributeType.MaxPlayers, 2);
        }));
        await AnsweredAsync(socket, RawControl.Signed(StunMethods.Leave, player, key));

        var calls = silo.PlayerCalls.CallsTo(silo.Grains.GetGrain<IPlayerGrain>(player).GetGrainId());
        Assert.Contains(calls, call => call.Method == "HeartbeatAsync");
        Assert.Contains(calls, call => call.Method == "RefreshAsync");
        Assert.Contains(calls, call => call.Method == "HostLobbyAsync");
        Assert.Contains(calls, call => call.Method == "LeaveLobbyAsync");
        Assert.All(calls, call => Assert.True(call.PoolThread, $"{call.Method} was called from thread {call.Thread}"));
    }

    /// <summary>Sends a request and waits for its own answer (a success), passing over anything else.</summary>
    private static async Task AnsweredAsync(RawStunSocket socket, byte[] request)
    {
        socket.Send(request);
        while (true)
        {
            var (datagram, _) = await socket.ReceiveAsync();
            if (datagram.Length >= StunHeader.Length && datagram.AsSpan(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength)
                .SequenceEqual(request.AsSpan(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength)))
            {
                Assert.True(StunMessage.TryParse(datagram, out var reply) == StunParseStatus.Ok && reply.Type.Class == StunClass.SuccessResponse, $"method 0x{reply.Type.Method:x} failed");
                return;
            }
        }
    }
}
