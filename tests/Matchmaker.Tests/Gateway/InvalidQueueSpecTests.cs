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
/// Queue requests sent byte by byte, as a client that skips the SDK's checks would: a spec no queue can hold
/// is refused at the gateway with a signed <c>invalid-queue-spec</c>, counted, and never becomes a ticket.
/// Each case speaks from its own loopback address, so the per-address error-reply limit never hides an answer.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class InvalidQueueSpecTests(SiloFixture silo)
{
    [Theory]
    [InlineData(1, "duel", 1, null)]
    [InlineData(2, "duel", 17, null)]
    [InlineData(3, "duel", 0, null)]
    [InlineData(4, "", 2, null)]
    [InlineData(5, "duel-duel-duel-duel-duel-duel-duel", 2, null)]
    [InlineData(6, "Duel", 2, null)]
    [InlineData(7, "duel", 2, "eu/west")]
    [InlineData(8, "duel", 2, "")]
    [InlineData(9, "duel", 2, "europe-west-europe-west-europe-west")]
    public async Task A_queue_request_with_an_invalid_spec_is_refused_with_invalid_queue_spec_counted_and_makes_no_ticket(int source, string mode, int size, string? region)
    {
        var metrics = silo.Services.GetRequiredService<GatewayMetrics>();
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse($"127.0.14.{source}"));
        var player = await RawPlayer.RegisterAsync(socket);
        var errorsBefore = metrics.Read(PacketType.Queue, PacketResult.Error);

        var (answer, _) = await socket.RequestAsync(player.Signed(StunMethods.Queue, Spec(mode, size, region)));

        var reply = StunTestMessages.Parse(answer);
        Assert.Equal(StunClass.ErrorResponse, reply.Type.Class);
        Assert.True(reply.HasValidMessageIntegritySha256(player.Key));
        Assert.True(reply.TryGetErrorCode(out var code, out var reason));
        Assert.Equal((ProtocolErrors.InvalidQueueSpec.Code, ProtocolErrors.InvalidQueueSpec.Slug), (code, reason));
        Assert.Equal(errorsBefore + 1, metrics.Read(PacketType.Queue, PacketResult.Error));
        Assert.False((await silo.Grains.GetGrain<IPlayerGrain>(player.Id).GetStatusAsync()).Queued);
    }

    [Fact]
    public async Task The_same_player_with_a_valid_spec_is_queued_and_can_leave()
    {
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.14.100"));
        var player = await RawPlayer.RegisterAsync(socket);
        var grain = silo.Grains.GetGrain<IPlayerGrain>(player.Id);

        var (queued, _) = await socket.RequestAsync(player.Signed(StunMethods.Queue, Spec("duel-" + Guid.NewGuid().ToString("N")[..8], 2, "eu")));
        Assert.Equal(StunClass.SuccessResponse, StunTestMessages.Parse(queued).Type.Class);
        Assert.True((await grain.GetStatusAsync()).Queued);

        var (left, _) = await socket.RequestAsync(player.Signed(StunMethods.QueueLeave));
        Assert.Equal(StunClass.SuccessResponse, StunTestMessages.Parse(left).Type.Class);
        Assert.False((await grain.GetStatusAsync()).Queued);
    }

    /// <summary>Writes the spec as sent, whatever its length: the gateway, not the writer, must refuse it.</summary>
    private static MessageBody Spec(string mode, int size, string? region) => (ref StunMessageWriter w) =>
    {
        w.AppendString(StunAttributeType.QueueMode, mode, 255);
        w.AppendUInt32(StunAttributeType.QueueSize, (uint)size);
        if (region is not null)
        {
            w.AppendString(StunAttributeType.QueueRegion, region, 255);
        }
    };
}
