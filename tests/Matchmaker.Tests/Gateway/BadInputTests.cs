using System.Security.Cryptography;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;
using Orleans.Runtime;

namespace Matchmaker.Tests.Gateway;

[Collection(SiloCollection.Name)]
public sealed class BadInputTests(SiloFixture silo)
{
    private const int GarbageDatagrams = 100_000;

    /// <summary>Kept well under the socket buffers, so the kernel never drops and every datagram must be counted.</summary>
    private const int BurstBetweenBarriers = 500;

    [Fact]
    public async Task Random_and_truncated_datagrams_are_dropped_counted_and_the_gateway_keeps_answering()
    {
        using var socket = new RawStunSocket(silo.Gateway);
        var random = new Random(5769);
        var valid = RawStunSocket.BindingRequest(fingerprint: true);
        var before = await MalformedCountAsync();

        for (var sent = 0; sent < GarbageDatagrams; sent += BurstBetweenBarriers)
        {
            for (var i = 0; i < BurstBetweenBarriers; i++)
            {
                socket.Send(Garbage(random, valid, sent + i));
            }

            var replies = await socket.BarrierAsync();
            Assert.Empty(replies);
        }

        var after = await MalformedCountAsync();
        Assert.Equal(GarbageDatagrams, after - before);
        var (answer, _) = await socket.RequestAsync(RawStunSocket.BindingRequest());
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(answer, out _));
    }

    [Fact]
    public async Task Replies_to_unproven_sources_stay_within_three_times_the_request()
    {
        using var socket = new RawStunSocket(silo.Gateway);
        foreach (var (name, request) in UnprovenRequests())
        {
            socket.Send(request);
            var replies = await socket.BarrierAsync();
            foreach (var reply in replies)
            {
                Assert.True(reply.Length <= 3 * request.Length, $"{name}: {reply.Length}-byte reply to a {request.Length}-byte request");
            }
        }

        // The barrier itself (a 20-byte Binding request) is the smallest unproven request of all.
        socket.Send(RawStunSocket.BindingRequest());
        var (binding, _) = await socket.ReceiveAsync();
        Assert.True(binding.Length <= 60, $"{binding.Length}-byte reply to a 20-byte Binding request");
    }

    [Fact]
    public async Task Unverified_sources_create_no_player_grain()
    {
        var before = await PlayerActivationsAsync();
        using var socket = new RawStunSocket(silo.Gateway);

        for (var round = 0; round < 200; round++)
        {
            foreach (var (_, request) in UnprovenRequests())
            {
                socket.Send(request);
            }

            await socket.BarrierAsync();
        }

        Assert.Equal(before, await PlayerActivationsAsync());
    }

    private Task<double> MalformedCountAsync() =>
        PrometheusScrape.ReadAsync(silo.Http, "matchmaker_gateway_packets_total", ("type", "invalid"), ("result", "malformed"));

    private async Task<int> PlayerActivationsAsync()
    {
        var statistics = await silo.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("PlayerGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    /// <summary>
    /// Half random bytes, half a valid message cut strictly short (so its length field lies) or with its
    /// magic cookie damaged. Random bytes pass as STUN with odds of about 2^-34, never in practice.
    /// </summary>
    private static byte[] Garbage(Random random, byte[] valid, int index)
    {
        if (index % 2 == 0)
        {
            var bytes = new byte[random.Next(0, 1400)];
            random.NextBytes(bytes);
            return bytes;
        }

        if (index % 4 == 1)
        {
            var damaged = valid.ToArray();
            damaged[4 + random.Next(0, 4)] ^= (byte)random.Next(1, 256);
            return damaged;
        }

        return valid[..random.Next(0, valid.Length)];
    }

    private static IEnumerable<(string Name, byte[] Request)> UnprovenRequests()
    {
        yield return ("unpadded register", Control(StunMethods.Register, (ref StunMessageWriter _) => { }));
        yield return ("register with a forged cookie", Control(StunMethods.Register, (ref StunMessageWriter w) => w.Append(StunAttributeType.Nonce, RandomNumberGenerator.GetBytes(20))));
        yield return ("heartbeat without integrity", Control(StunMethods.Heartbeat, (ref StunMessageWriter w) => w.AppendGuid(StunAttributeType.PlayerId, Guid.NewGuid())));
        yield return ("join with a forged integrity", Control(StunMethods.Join, (ref StunMessageWriter w) =>
        {
            w.AppendGuid(StunAttributeType.PlayerId, Guid.NewGuid());
            w.AppendString(StunAttributeType.LobbyCode, LobbyCode.Generate(), 32);
            w.AppendMessageIntegritySha256(RandomNumberGenerator.GetBytes(32));
        }));
        yield return ("host with no player", Control(StunMethods.Host, (ref StunMessageWriter w) => w.AppendString(StunAttributeType.LobbyName, "x", 64)));
        yield return ("binding with unknown attributes", Control(StunMethods.Binding, (ref StunMessageWriter w) =>
        {
            for (ushort type = 0x7000; type < 0x7008; type++)
            {
                w.Append(type, []);
            }
        }));
    }

    private delegate void Body(ref StunMessageWriter writer);

    private static byte[] Control(ushort method, Body body)
    {
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer, new StunMessageType(method, StunClass.Request), RandomNumberGenerator.GetBytes(12));
        body(ref writer);
        return buffer[..writer.Length];
    }
}
