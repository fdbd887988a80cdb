using System.Diagnostics;
using System.Net;
using Matchmaker.Client;
using Matchmaker.Gateway;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// Abuse by proven players, against the real silo: guessing lobby codes and flooding requests are
/// refused with <c>rate-limited</c>, counted, and confined to the abuser. Each test speaks from its own
/// loopback address, since the limits are per source address.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class AbuseLimitTests(SiloFixture silo)
{
    [Fact]
    public async Task Guessing_lobby_codes_is_refused_after_ten_failures_a_minute_from_one_address()
    {
        var metrics = silo.Services.GetRequiredService<GatewayMetrics>();
        var options = silo.Services.GetRequiredService<GatewayOptions>();
        var limitedBefore = metrics.Read(RateLimit.SourceFailedJoins);
        await using var guesser = await ConnectFromAsync("127.0.11.1");
        await using var accomplice = await ConnectFromAsync("127.0.11.1");
        await using var bystander = await ConnectFromAsync("127.0.11.2");

        for (var guess = 0; guess < options.FailedJoinsPerMinute; guess++)
        {
            Assert.Equal("lobby-not-found", (await JoinFailureAsync(guesser)).Code);
        }

        Assert.Equal("rate-limited", (await JoinFailureAsync(guesser)).Code);
        Assert.Equal("rate-limited", (await JoinFailureAsync(accomplice)).Code);
        Assert.Equal("lobby-not-found", (await JoinFailureAsync(bystander)).Code);
        Assert.Equal(limitedBefore + 2, metrics.Read(RateLimit.SourceFailedJoins));
        Assert.True(metrics.Read(PacketType.Join, PacketResult.RateLimited) >= 2);
    }

    [Fact]
    public async Task A_flooding_player_is_refused_with_rate_limited_and_counted_and_others_are_served()
    {
        const int Flood = 200;
        var metrics = silo.Services.GetRequiredService<GatewayMetrics>();
        var options = silo.Services.GetRequiredService<GatewayOptions>();
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.12.1"));
        var player = await RawPlayer.RegisterAsync(socket);
        var before = Heartbeats(metrics);
        var limitedBefore = metrics.Read(RateLimit.PlayerRequests);
        var elapsed = Stopwatch.StartNew();

        for (var i = 0; i < Flood; i++)
        {
            socket.Send(player.Signed(StunMethods.Heartbeat));
        }

        // Every heartbeat is accounted for: served (by the grain or under its lease), or refused at the gateway.
        var after = await Eventually.ReachesAsync(() => Task.FromResult(Heartbeats(metrics)), h => h.Ok + h.Limited - before.Ok - before.Limited >= Flood);
        var served = after.Ok - before.Ok;
        var seconds = (int)Math.Ceiling(elapsed.Elapsed.TotalSeconds);
        Assert.Equal(Flood, served + after.Limited - before.Limited);
        Assert.InRange(served, 1, options.PlayerRequestsPerSecond * (seconds + 1));
        Assert.Equal(after.Limited - before.Limited, metrics.Read(RateLimit.PlayerRequests) - limitedBefore);

        // The refusals the client hears are signed, so it can trust them.
        var refusals = (await socket.BarrierAsync()).Where(IsRateLimited).ToList();
        Assert.NotEmpty(refusals);
        Assert.All(refusals, r => Assert.True(StunMessage.TryParse(r, out var m) == StunParseStatus.Ok && m.HasValidMessageIntegritySha256(player.Key)));

        // Someone else on another address is served throughout.
        await using var bystander = await ConnectFromAsync("127.0.12.2");
        Assert.NotNull(await bystander.ListLobbiesAsync());
    }

    private Task<MatchmakerClient> ConnectFromAsync(string address) =>
        MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway, LocalEndPoint = new IPEndPoint(IPAddress.Parse(address), 0) });

    private static async Task<MatchmakerException> JoinFailureAsync(MatchmakerClient client) =>
        await Assert.ThrowsAsync<MatchmakerException>(() => client.JoinAsync(LobbyCode.Generate()));

    /// <summary>Heartbeats served (by the grain, or by the gateway under the grain's renewal lease) and refused.</summary>
    private static (long Ok, long Limited) Heartbeats(GatewayMetrics metrics) =>
        (metrics.Read(PacketType.Heartbeat, PacketResult.Ok) + metrics.Read(PacketType.Heartbeat, PacketResult.Leased), metrics.Read(PacketType.Heartbeat, PacketResult.RateLimited));

    private static bool IsRateLimited(byte[] datagram) =>
        StunMessage.TryParse(datagram, out var message) == StunParseStatus.Ok
        && message.TryGetErrorCode(out var code, out _) && code == ProtocolErrors.RateLimited.Code;
}
