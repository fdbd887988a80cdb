using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Matchmaker.Client;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.EndToEnd;

/// <summary>
/// A third host sprays forged punch probes, answers and data at two players while they connect. Without
/// the introduction secret none of it may be accepted: the players connect to each other, and only to
/// each other, and hear only each other's messages. An attacker on the path who captured genuine
/// traffic gets no further by replaying it, even from the genuine peer's own address.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ForgedPeerTrafficTests(SiloFixture silo)
{
    private const int ForgedPerTarget = 1_000;

    /// <summary>Rounds per burst: small enough that the client's socket buffer never overflows, so none is lost unseen.</summary>
    private const int RoundsPerBurst = 50;

    private const int MillionTries = 1_000_000;

    /// <summary>Raw datagrams per burst: well under what the client's 1 MiB socket buffer holds.</summary>
    private const int TriesPerBurst = 400;

    [Fact]
    public async Task Forged_punches_and_data_from_a_third_host_are_never_accepted()
    {
        await using var host = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        await using var joiner = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        using var sprayer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sprayer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var lobby = await host.HostAsync("guarded", maxPlayers: 2);

        await SprayAsync(sprayer, host);
        await SprayAsync(sprayer, joiner);
        await joiner.JoinAsync(lobby.Code);
        var atHost = (await host.NextAsync<PeerConnected>()).Peer;
        var atJoiner = (await joiner.NextAsync<PeerConnected>()).Peer;
        await SprayAsync(sprayer, host);
        await SprayAsync(sprayer, joiner);
        var forged = 2 * ForgedPerTarget * 3;
        atJoiner.Send("real"u8);

        var heard = await host.NextAsync<PeerMessageReceived>();
        Assert.Equal("real", Encoding.UTF8.GetString(heard.Data.Span));
        Assert.Equal(joiner.PlayerId, atHost.PeerId);
        Assert.Equal(host.PlayerId, atJoiner.PeerId);
        Assert.NotEqual(sprayer.LocalEndPoint, atHost.RemoteEndPoint);
        Assert.NotEqual(sprayer.LocalEndPoint, atJoiner.RemoteEndPoint);
        Assert.Single(host.Peers);
        Assert.Single(joiner.Peers);
        foreach (var client in new[] { host, joiner })
        {
            while (client.Events.TryRead(out var @event))
            {
                Assert.False(@event is PeerMessageReceived or PeerConnected, $"forged traffic surfaced as {@event}");
            }
        }

        // Every forged datagram reached the peer layer and was refused there.
        Assert.True(host.RejectedPeerPackets >= forged, $"host refused {host.RejectedPeerPackets} of {forged}");
        Assert.True(joiner.RejectedPeerPackets >= forged, $"joiner refused {joiner.RejectedPeerPackets} of {forged}");
    }

    [Fact]
    public async Task A_million_forged_and_replayed_peer_datagrams_are_all_refused()
    {
        // IPv4 only: the fixture's gateway offers ::1, and a link that wins over IPv6 would carry the
        // genuine traffic past the IPv4 raw socket.
        await using var host = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway, Ipv6 = false });
        await using var joiner = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway, Ipv6 = false });
        using var third = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        third.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var thirdPort = ((IPEndPoint)third.LocalEndPoint!).Port;
        var (joinerPort, hostPort) = (joiner.LocalEndPoint.Port, host.LocalEndPoint.Port);
        var target = new IPEndPoint(IPAddress.Loopback, hostPort);
        using var wire = new RawUdpSocket(captureToPort: hostPort);
        var lobby = await host.HostAsync("replayed", maxPlayers: 2);

        await joiner.JoinAsync(lobby.Code);
        var atHost = (await host.NextAsync<PeerConnected>()).Peer;
        var atJoiner = (await joiner.NextAsync<PeerConnected>()).Peer;
        atJoiner.Send("real"u8);
        Assert.Equal("real", Encoding.UTF8.GetString((await host.NextAsync<PeerMessageReceived>()).Data.Span));

        // The wire saw it all: the joiner's answer to a probe and its data, exactly as sent.
        var timeout = TimeSpan.FromSeconds(10);
        var answer = await wire.CaptureAsync(joinerPort, hostPort, d => Is(d, StunMethods.Punch, StunClass.SuccessResponse), timeout);
        var data = await wire.CaptureAsync(joinerPort, hostPort, d => Is(d, StunMethods.PeerData, StunClass.Indication), timeout);
        var introductionId = IntroductionIdOf(data);

        var random = new Random(6);
        var key = new byte[32];
        var forged = new byte[256];
        var rejectedBefore = host.RejectedPeerPackets;
        for (var sent = 0; sent < MillionTries; sent += TriesPerBurst)
        {
            for (var i = sent; i < sent + TriesPerBurst; i++)
            {
                switch (i % 4)
                {
                    case 0: // the genuine data again, from the genuine peer's address: a replay
                        wire.SendFrom(joinerPort, target, data);
                        break;
                    case 1: // the genuine data from a third endpoint
                        wire.SendFrom(thirdPort, target, data);
                        break;
                    case 2: // a genuine probe answer from a third endpoint
                        wire.SendFrom(thirdPort, target, answer);
                        break;
                    default: // the real introduction id under a wrong key, from the genuine peer's address
                        random.NextBytes(key);
                        var method = (i / 4 % 3) switch { 0 => StunMethods.Punch, 1 => StunMethods.Punch, _ => StunMethods.PeerData };
                        var cls = (i / 4 % 3) switch { 0 => StunClass.Request, 1 => StunClass.SuccessResponse, _ => StunClass.Indication };
                        var writer = new StunMessageWriter(forged, new StunMessageType(method, cls), RandomNumberGenerator.GetBytes(12));
                        writer.AppendGuid(StunAttributeType.IntroductionId, introductionId);
                        writer.Append(StunAttributeType.Payload, "forged"u8);
                        writer.AppendMessageIntegritySha256(key);
                        writer.AppendFingerprint();
                        wire.SendFrom(joinerPort, target, writer.Written);
                        break;
                }
            }

            var expected = rejectedBefore + sent + TriesPerBurst;
            var refused = await Eventually.ReachesAsync(() => Task.FromResult(host.RejectedPeerPackets), n => n >= expected);
            Assert.True(refused >= expected, $"after {sent + TriesPerBurst} tries only {refused - rejectedBefore} refused");
        }

        atJoiner.Send("after"u8);
        Assert.Equal("after", Encoding.UTF8.GetString((await host.NextAsync<PeerMessageReceived>()).Data.Span));
        Assert.Equal(MillionTries, host.RejectedPeerPackets - rejectedBefore);
        Assert.Single(host.Peers);
        while (host.Events.TryRead(out var @event))
        {
            Assert.False(@event is PeerMessageReceived or PeerConnected, $"forged or replayed traffic surfaced as {@event}");
        }
    }

    private static Guid IntroductionIdOf(byte[] datagram)
    {
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var message));
        Assert.True(message.TryGetGuid(StunAttributeType.IntroductionId, out var id));
        return id;
    }

    private static bool Is(byte[] datagram, ushort method, StunClass cls) =>
        StunMessage.TryParse(datagram, out var message) == StunParseStatus.Ok && message.Type.Method == method && message.Type.Class == cls;

    /// <summary>
    /// Probes, answers and data naming random introductions with random proofs, in bursts; after each
    /// burst it waits until the client has refused at least that many, so every forged datagram is seen.
    /// </summary>
    private static async Task SprayAsync(Socket sprayer, MatchmakerClient target)
    {
        var buffer = new byte[256];
        for (var round = 0; round < ForgedPerTarget; round += RoundsPerBurst)
        {
            var refusedBefore = target.RejectedPeerPackets;
            for (var i = 0; i < RoundsPerBurst; i++)
            {
                foreach (var (method, cls) in new[] { (StunMethods.Punch, StunClass.Request), (StunMethods.Punch, StunClass.SuccessResponse), (StunMethods.PeerData, StunClass.Indication) })
                {
                    var writer = new StunMessageWriter(buffer, new StunMessageType(method, cls), RandomNumberGenerator.GetBytes(12));
                    writer.AppendGuid(StunAttributeType.IntroductionId, Guid.NewGuid());
                    writer.Append(StunAttributeType.Payload, "forged"u8);
                    writer.AppendMessageIntegritySha256(RandomNumberGenerator.GetBytes(32));
                    writer.AppendFingerprint();
                    sprayer.SendTo(buffer.AsSpan(0, writer.Length), SocketFlags.None, target.PublicEndPoint!);
                }
            }

            var refused = await Eventually.ReachesAsync(() => Task.FromResult(target.RejectedPeerPackets), n => n >= refusedBefore + (RoundsPerBurst * 3));
            Assert.True(refused >= refusedBefore + (RoundsPerBurst * 3), $"only {refused - refusedBefore} of a burst of {RoundsPerBurst * 3} refused");
        }
    }
}
