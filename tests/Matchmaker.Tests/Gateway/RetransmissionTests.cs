using System.Net;
using Matchmaker.Gateway;
using Matchmaker.Grains;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;
using Matchmaker.Tests.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// Clients retransmit a request every 500 ms, doubling, until answered (RFC 8489). While the original is still
/// waiting on its grain, a retransmission must not become a second grain call: under a slow cluster that would
/// multiply the load exactly when there is too much of it. The fixture's silo can hold a player's calls in flight.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class RetransmissionTests(SiloFixture silo)
{
    [Fact]
    public async Task Retransmissions_of_a_request_waiting_on_its_grain_are_dropped_and_the_original_answers()
    {
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.23.1"));
        var player = await RawPlayer.RegisterAsync(socket);
        var grain = silo.Grains.GetGrain<IPlayerGrain>(player.Id).GetGrainId();
        var metrics = silo.Services.GetRequiredService<GatewayMetrics>();
        var host = player.Signed(StunMethods.Host, (ref StunMessageWriter w) =>
        {
            w.AppendString(StunAttributeType.LobbyName, "retransmitted", ProtocolLimits.MaxLobbyNameBytes);
            w.AppendUInt32(StunAttributeType.MaxPlayers, 2);
        });
        var retransmissionsBefore = metrics.Read(PacketType.Host, PacketResult.Retransmission);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        silo.PlayerCalls.Hold(grain, release.Task, held);
        try
        {
            socket.Send(host);
            await held.Task.WaitAsync(TimeSpan.FromSeconds(10));

            socket.Send(host);
            socket.Send(host);

            // One flow is served by one receive thread in arrival order: once this Binding is answered, both
            // retransmissions have been handled.
            await RawRequests.AnswerAsync(socket, RawStunSocket.BindingRequest());
            Assert.Equal(2, metrics.Read(PacketType.Host, PacketResult.Retransmission) - retransmissionsBefore);
            Assert.Single(HostCalls());
        }
        finally
        {
            silo.PlayerCalls.StopHolding(grain);
            release.SetResult();
        }

        var answered = StunTestMessages.Parse(await RawRequests.ReceiveAnswerAsync(socket, host));
        Assert.Equal(StunClass.SuccessResponse, answered.Type.Class);
        Assert.True(answered.TryGetAttribute(StunAttributeType.LobbyEntry, out ReadOnlySpan<byte> entry));
        Assert.True(LobbyEntryAttribute.TryRead(entry, out var lobby));

        // Once answered, the transaction is no longer in flight: a late retransmission reaches the grain again,
        // which replays the same lobby rather than hosting a second one.
        var replayed = StunTestMessages.Parse(await RawRequests.AnswerAsync(socket, host));
        Assert.True(replayed.TryGetAttribute(StunAttributeType.LobbyEntry, out ReadOnlySpan<byte> again));
        Assert.True(LobbyEntryAttribute.TryRead(again, out var replayedLobby));
        Assert.Equal(lobby.Code, replayedLobby.Code);
        Assert.Equal(2, HostCalls().Count);

        List<PlayerCall> HostCalls() => [.. silo.PlayerCalls.CallsTo(grain).Where(call => call.Method == "HostLobbyAsync")];
    }
}
