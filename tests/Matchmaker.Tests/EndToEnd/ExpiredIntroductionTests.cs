using System.Net;
using System.Net.Sockets;
using Matchmaker.Client;
using Matchmaker.Gateway;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Matchmaker.Tests.EndToEnd;

/// <summary>
/// An introduction's secret opens a path only within its lifetime. A real host (the SDK, on a fake clock)
/// is introduced through the real cluster and gateway to a joiner played byte by byte on a bare socket,
/// which holds the genuine secret. Past the lifetime, even perfectly signed punches — a probe, and an
/// answer to the host's own probe from exactly the endpoint it probed — are refused; just inside it,
/// the same packets connect.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ExpiredIntroductionTests(SiloFixture silo)
{
    private const int Forged = 200;

    [Fact]
    public async Task Signed_punches_with_an_expired_introduction_are_never_answered_or_accepted()
    {
        await using var scene = await IntroduceAsync();
        scene.Clock.Advance(scene.Lifetime + TimeSpan.FromSeconds(1));

        var refusedBefore = scene.Host.RejectedPeerPackets;
        for (var i = 0; i < Forged; i++)
        {
            scene.SendPunchRequest();
            scene.SendAnswerToHostProbe();
        }

        var refused = await Eventually.ReachesAsync(() => Task.FromResult(scene.Host.RejectedPeerPackets), n => n >= refusedBefore + (2 * Forged));
        Assert.Equal(refusedBefore + (2 * Forged), refused);
        var failed = Assert.IsType<PeerConnectFailed>(await NextPeerEventAsync(scene.Host));
        Assert.Equal((scene.JoinerId, "introduction-expired"), (failed.PeerId, failed.Reason));
        Assert.Empty(scene.Host.Peers);

        // Every refusal above happened on the host's receive loop, which would have sent any answer
        // before counting; on loopback a sent datagram is queued at once. So no punch message came
        // back (the gateway's own pushes to the joiner's endpoint may be queued there too).
        Assert.Equal(0, scene.QueuedPunchMessages());
    }

    [Fact]
    public async Task The_same_punches_just_inside_the_lifetime_connect()
    {
        await using var scene = await IntroduceAsync();
        scene.Clock.Advance(scene.Lifetime - TimeSpan.FromSeconds(1));

        scene.SendPunchRequest();
        var answer = await scene.ReceivePunchAsync(StunClass.SuccessResponse);
        scene.SendAnswerToHostProbe();

        Assert.True(answer.HasValidMessageIntegritySha256(scene.Introduction.Secret));
        var connected = Assert.IsType<PeerConnected>(await NextPeerEventAsync(scene.Host));
        Assert.Equal(scene.Joiner.LocalEndPoint, connected.Peer.RemoteEndPoint);
    }

    [Fact]
    public async Task A_connection_outlives_its_introduction_but_the_secret_starts_nothing_more()
    {
        await using var scene = await IntroduceAsync();
        scene.SendAnswerToHostProbe();
        Assert.IsType<PeerConnected>(await NextPeerEventAsync(scene.Host));
        using var thief = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        thief.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        scene.Clock.Advance(scene.Lifetime + TimeSpan.FromSeconds(1));

        // Someone who learnt the secret probes the connected host from elsewhere; a link that is
        // connected is never closed by the clock, so only the per-packet expiry check stands in the way.
        var refusedBefore = scene.Host.RejectedPeerPackets;
        for (var i = 0; i < Forged; i++)
        {
            scene.SendPunchRequest(thief);
        }

        var refused = await Eventually.ReachesAsync(() => Task.FromResult(scene.Host.RejectedPeerPackets), n => n >= refusedBefore + Forged);
        Assert.Equal(refusedBefore + Forged, refused);
        Assert.Equal(0, thief.Available);
        Assert.Equal(scene.Joiner.LocalEndPoint, Assert.Single(scene.Host.Peers).RemoteEndPoint);
    }

    private static async Task<MatchmakerEvent> NextPeerEventAsync(MatchmakerClient client)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var @event = await client.Events.ReadAsync(cts.Token);
            if (@event is PeerConnected or PeerConnectFailed)
            {
                return @event;
            }
        }
    }

    /// <summary>Hosts a lobby with the SDK, joins it through the grains as the bare socket, and waits for the host's first probe.</summary>
    private async Task<Scene> IntroduceAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = await MatchmakerClient.ConnectAsync(new()
        {
            Server = silo.Gateway,
            TimeProvider = clock,
            ClassifyNat = false,

            // Longer than the introduction's lifetime, so the lifetime is what ends the punching.
            PunchTimeout = TimeSpan.FromHours(1),
            PeerTimeout = TimeSpan.FromHours(1),
        });
        var joiner = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        joiner.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var scene = new Scene(host, joiner, clock, silo.Services.GetRequiredService<IOptions<LobbyOptions>>().Value.IntroductionLifetime);
        try
        {
            var lobby = await host.HostAsync("expiring", maxPlayers: 2);
            var player = silo.Grains.GetGrain<IPlayerGrain>(scene.JoinerId);
            var route = new GatewayRoute(silo.Services.GetRequiredService<PushObserverReference>().Value, silo.Gateway);
            await player.HeartbeatAsync(new PlayerPresence((IPEndPoint)joiner.LocalEndPoint!, [], NatCapabilities.Unknown, route));
            var result = await player.JoinLobbyAsync(lobby.Code, Guid.NewGuid());
            Assert.Equal(LobbyStatus.Ok, result.Status);
            scene.Introduction = Assert.Single(result.Introductions);
            var probe = await scene.ReceivePunchAsync(StunClass.Request);
            scene.HostProbeTransactionId = probe.TransactionId.ToArray();
            return scene;
        }
        catch
        {
            await scene.DisposeAsync();
            throw;
        }
    }

    private sealed class Scene(MatchmakerClient host, Socket joiner, FakeTimeProvider clock, TimeSpan lifetime) : IAsyncDisposable
    {
        private readonly byte[] _buffer = new byte[1500];

        public MatchmakerClient Host { get; } = host;

        public Socket Joiner { get; } = joiner;

        public FakeTimeProvider Clock { get; } = clock;

        public TimeSpan Lifetime { get; } = lifetime;

        public Guid JoinerId { get; } = Guid.NewGuid();

        public Introduction Introduction { get; set; } = null!;

        public byte[] HostProbeTransactionId { get; set; } = [];

        public void SendPunchRequest(Socket? from = null)
        {
            Span<byte> transactionId = stackalloc byte[StunHeader.TransactionIdLength];
            var length = PeerMessages.WritePunchRequest(_buffer, Introduction.IntroductionId, Introduction.Secret, transactionId);
            (from ?? Joiner).SendTo(_buffer.AsSpan(0, length), SocketFlags.None, Host.LocalEndPoint);
        }

        /// <summary>The answer the host waits for: its own probe's transaction, from the endpoint it probed.</summary>
        public void SendAnswerToHostProbe()
        {
            var length = PeerMessages.WritePunchResponse(_buffer, HostProbeTransactionId, Introduction.IntroductionId, Host.LocalEndPoint.Serialize(), Introduction.Secret);
            Joiner.SendTo(_buffer.AsSpan(0, length), SocketFlags.None, Host.LocalEndPoint);
        }

        /// <summary>The next punch message of the wanted class from the host, signed with this introduction's secret.</summary>
        public async Task<StunMessageCopy> ReceivePunchAsync(StunClass wanted)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var buffer = new byte[1500];
            while (true)
            {
                var received = await Joiner.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                var copy = new StunMessageCopy(buffer[..received]);
                if (copy.Is(StunMethods.Punch, wanted, Introduction.IntroductionId))
                {
                    return copy;
                }
            }
        }

        /// <summary>Empties the joiner's receive queue without waiting and counts the punch messages naming this introduction.</summary>
        public int QueuedPunchMessages()
        {
            var punches = 0;
            var buffer = new byte[1500];
            while (Joiner.Available > 0)
            {
                var received = Joiner.Receive(buffer);
                var copy = new StunMessageCopy(buffer[..received]);
                if (copy.Is(StunMethods.Punch, StunClass.Request, Introduction.IntroductionId) || copy.Is(StunMethods.Punch, StunClass.SuccessResponse, Introduction.IntroductionId))
                {
                    punches++;
                }
            }

            return punches;
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            Joiner.Dispose();
        }
    }

    /// <summary>A received datagram kept as bytes (a <see cref="StunMessage"/> is a ref struct and cannot cross an await).</summary>
    private sealed class StunMessageCopy(byte[] datagram)
    {
        public ReadOnlySpan<byte> TransactionId => datagram.AsSpan(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength);

        public bool Is(ushort method, StunClass cls, Guid introductionId) =>
            StunMessage.TryParse(datagram, out var message) == StunParseStatus.Ok
            && message.Type.Method == method
            && message.Type.Class == cls
            && message.TryGetGuid(StunAttributeType.IntroductionId, out var id)
            && id == introductionId;

        public bool HasValidMessageIntegritySha256(byte[] secret) =>
            StunMessage.TryParse(datagram, out var message) == StunParseStatus.Ok && message.HasValidMessageIntegritySha256(secret);
    }
}
