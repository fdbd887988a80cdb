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
/// each other, and hear only each other's messages.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ForgedPeerTrafficTests(SiloFixture silo)
{
    private const int ForgedPerTarget = 1_000;

    /// <summary>Rounds per burst: small enough that the client's socket buffer never overflows, so none is lost unseen.</summary>
    private const int RoundsPerBurst = 50;

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
