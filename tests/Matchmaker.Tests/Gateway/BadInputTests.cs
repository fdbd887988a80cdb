using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Matchmaker.Gateway;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Matchmaker.Tests.Gateway;

[Collection(SiloCollection.Name)]
public sealed class BadInputTests(SiloFixture silo, ITestOutputHelper output)
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
    public async Task Replies_to_unproven_sources_stay_within_three_times_the_request_for_every_message_type()
    {
        var index = 0;
        foreach (var (name, request, answered) in UnprovenRequests().Concat(UnprovenBindings()))
        {
            // A fresh source address per message type, so the per-address error-reply limit never hides a reply.
            using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse($"127.0.9.{++index}"));
            socket.Send(request);
            var replies = await socket.BarrierAsync();
            Assert.True(answered ? replies.Count == 1 : replies.Count == 0, $"{name}: {replies.Count} replies");
            foreach (var reply in replies)
            {
                Assert.True(reply.Length <= 3 * request.Length, $"{name}: {reply.Length}-byte reply to a {request.Length}-byte request");
            }
        }

        // The barrier itself (a 20-byte Binding request) is the smallest unproven request of all.
        using var last = new RawStunSocket(silo.Gateway);
        last.Send(RawStunSocket.BindingRequest());
        var (binding, _) = await last.ReceiveAsync();
        Assert.True(binding.Length <= 60, $"{binding.Length}-byte reply to a 20-byte Binding request");
    }

    [Fact]
    public async Task Error_replies_to_one_address_are_rate_limited_and_counted_while_other_addresses_are_answered()
    {
        const int Flood = 300;
        var metrics = silo.Services.GetRequiredService<GatewayMetrics>();
        var options = silo.Services.GetRequiredService<GatewayOptions>();
        using var flooder = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.10.1"));
        var limitedBefore = metrics.Read(RateLimit.ErrorReplies);
        var elapsed = Stopwatch.StartNew();

        for (var i = 0; i < Flood; i++)
        {
            flooder.Send(Control(StunMethods.Heartbeat, (ref StunMessageWriter w) => w.AppendGuid(StunAttributeType.PlayerId, Guid.NewGuid())));
        }

        var answered = (await flooder.BarrierAsync()).Count;
        var seconds = (int)Math.Ceiling(elapsed.Elapsed.TotalSeconds);
        Assert.InRange(answered, 1, options.ErrorRepliesPerSecond * (seconds + 1));
        Assert.Equal(Flood - answered, metrics.Read(RateLimit.ErrorReplies) - limitedBefore);

        using var bystander = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.10.2"));
        bystander.Send(Control(StunMethods.Heartbeat, (ref StunMessageWriter w) => w.AppendGuid(StunAttributeType.PlayerId, Guid.NewGuid())));
        Assert.Single(await bystander.BarrierAsync());
    }

    [Fact]
    public async Task Two_thousand_registrations_from_spoofed_ports_grow_memory_by_at_most_16_MiB_and_create_no_grain()
    {
        const int Spoofed = 2_000;
        const int FirstPort = 20_000;
        var metrics = silo.Services.GetRequiredService<GatewayMetrics>();
        using var wire = new RawUdpSocket();
        var grainsBefore = await PlayerActivationsAsync();
        var countedBefore = RegistersCounted(metrics);
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        // Half ask for a cookie, half present a forged one; none can read the answer, so none can prove itself.
        for (var i = 0; i < Spoofed; i++)
        {
            var request = Control(StunMethods.Register, (ref StunMessageWriter w) =>
            {
                if (i % 2 == 1)
                {
                    w.Append(StunAttributeType.Nonce, RandomNumberGenerator.GetBytes(20));
                }

                w.AppendPaddingTo(ProtocolLimits.RegisterPaddedLength);
            });
            wire.SendFrom(FirstPort + i, silo.Gateway, request);
        }

        var counted = await Eventually.ReachesAsync(() => Task.FromResult(RegistersCounted(metrics)), n => n >= countedBefore + Spoofed);
        Assert.Equal(countedBefore + Spoofed, counted);
        var growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        output.WriteLine($"{Spoofed} spoofed registrations: managed heap grew {growth} bytes; player grains {grainsBefore} before and after");
        Assert.True(growth <= 16 << 20, $"the gateway's process grew by {growth} bytes");
        Assert.Equal(grainsBefore, await PlayerActivationsAsync());
    }

    [Fact]
    public async Task Unverified_sources_create_no_player_grain()
    {
        var before = await PlayerActivationsAsync();
        using var socket = new RawStunSocket(silo.Gateway);

        for (var round = 0; round < 200; round++)
        {
            foreach (var (_, request, _) in UnprovenRequests())
            {
                socket.Send(request);
            }

            await socket.BarrierAsync();
        }

        Assert.Equal(before, await PlayerActivationsAsync());
    }

    private static long RegistersCounted(GatewayMetrics metrics) =>
        Enum.GetValues<PacketResult>().Sum(result => metrics.Read(PacketType.Register, result));

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

    /// <summary>Every control method and push, as an unproven source might send it, and whether the gateway answers.</summary>
    private static IEnumerable<(string Name, byte[] Request, bool Answered)> UnprovenRequests()
    {
        yield return ("unpadded register (challenge would exceed 3x)", Control(StunMethods.Register, (ref StunMessageWriter _) => { }), false);
        yield return ("padded register", Control(StunMethods.Register, (ref StunMessageWriter w) => w.AppendPaddingTo(ProtocolLimits.RegisterPaddedLength)), true);
        yield return ("register with a forged cookie", Control(StunMethods.Register, (ref StunMessageWriter w) =>
        {
            w.Append(StunAttributeType.Nonce, RandomNumberGenerator.GetBytes(20));
            w.AppendPaddingTo(ProtocolLimits.RegisterPaddedLength);
        }), true);
        yield return ("register with a forged cookie, unpadded", Control(StunMethods.Register, (ref StunMessageWriter w) => w.Append(StunAttributeType.Nonce, RandomNumberGenerator.GetBytes(20))), true);
        foreach (var method in new[] { StunMethods.Heartbeat, StunMethods.Host, StunMethods.Join, StunMethods.Leave, StunMethods.List })
        {
            yield return ($"0x{method:x3} without integrity", Control(method, (ref StunMessageWriter w) => w.AppendGuid(StunAttributeType.PlayerId, Guid.NewGuid())), true);
            yield return ($"0x{method:x3} with a forged integrity", Control(method, (ref StunMessageWriter w) =>
            {
                w.AppendGuid(StunAttributeType.PlayerId, Guid.NewGuid());
                w.AppendString(StunAttributeType.LobbyCode, LobbyCode.Generate(), 32);
                w.AppendMessageIntegritySha256(RandomNumberGenerator.GetBytes(32));
            }), true);
            yield return ($"0x{method:x3} bare header", Control(method, (ref StunMessageWriter _) => { }), true);
        }

        yield return ("host with no player", Control(StunMethods.Host, (ref StunMessageWriter w) => w.AppendString(StunAttributeType.LobbyName, "x", 64)), true);
        foreach (var method in new[] { StunMethods.Introduction, StunMethods.LobbyClosed, StunMethods.Punch, StunMethods.PeerData, StunMethods.Keepalive, StunMethods.Bye })
        {
            yield return ($"0x{method:x3} request", Control(method, (ref StunMessageWriter w) => w.AppendGuid(StunAttributeType.IntroductionId, Guid.NewGuid())), false);
            yield return ($"0x{method:x3} stray acknowledgement", Message(method, StunClass.SuccessResponse, (ref StunMessageWriter w) => w.AppendFingerprint()), false);
        }
    }

    /// <summary>Binding with every option the gateway reads, and with what it refuses.</summary>
    private static IEnumerable<(string Name, byte[] Request, bool Answered)> UnprovenBindings()
    {
        yield return ("binding", Control(StunMethods.Binding, (ref StunMessageWriter _) => { }), true);
        yield return ("binding with fingerprint", Control(StunMethods.Binding, (ref StunMessageWriter w) => w.AppendFingerprint()), true);
        foreach (var (ip, port) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            yield return ($"binding change-ip={ip} change-port={port}", Control(StunMethods.Binding, (ref StunMessageWriter w) => w.AppendChangeRequest(ip, port)), true);
        }

        yield return ("binding with response-port", Control(StunMethods.Binding, (ref StunMessageWriter w) => w.AppendResponsePort(9)), false);
        yield return ("binding with padding", Control(StunMethods.Binding, (ref StunMessageWriter w) => w.AppendPaddingTo(512)), true);
        yield return ("binding with username and integrity", Control(StunMethods.Binding, (ref StunMessageWriter w) =>
        {
            w.AppendString(StunAttributeType.Username, "evtj:h6vY", 64);
            w.AppendMessageIntegrity(RandomNumberGenerator.GetBytes(20));
            w.AppendFingerprint();
        }), true);
        yield return ("binding with unknown attributes", Control(StunMethods.Binding, (ref StunMessageWriter w) =>
        {
            for (ushort type = 0x7000; type < 0x7008; type++)
            {
                w.Append(type, []);
            }
        }), true);
        yield return ("binding with one unknown attribute", Control(StunMethods.Binding, (ref StunMessageWriter w) => w.Append(0x7000, [])), true);
        yield return ("binding with a malformed change-request", Control(StunMethods.Binding, (ref StunMessageWriter w) => w.Append(StunAttributeType.ChangeRequest, [1, 2])), true);
        yield return ("binding indication", Message(StunMethods.Binding, StunClass.Indication, (ref StunMessageWriter _) => { }), false);
    }

    private delegate void Body(ref StunMessageWriter writer);

    private static byte[] Control(ushort method, Body body) => Message(method, StunClass.Request, body);

    private static byte[] Message(ushort method, StunClass cls, Body body)
    {
        var buffer = new byte[1024];
        var writer = new StunMessageWriter(buffer, new StunMessageType(method, cls), RandomNumberGenerator.GetBytes(12));
        body(ref writer);
        return buffer[..writer.Length];
    }
}
