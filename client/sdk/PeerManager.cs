using System.Net;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Client;

/// <summary>
/// Turns introductions into connections. Both sides probe every candidate endpoint at once and keep
/// probing until a probe is answered with proof of the shared secret (then the path is known to work
/// both ways), the deadline passes, or the introduction expires. Connected peers get keepalives and
/// are reported lost after a silence. Every accepted packet carries a valid HMAC of the secret.
/// </summary>
internal sealed class PeerManager(ClientTransport transport, MatchmakerClientOptions options, Action<MatchmakerEvent> publish)
{
    /// <summary>Room left for the payload in one datagram after header, id, HMAC and fingerprint.</summary>
    public const int MaxPayload = ProtocolLimits.MaxDatagram - 128;

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, PeerLink> _links = [];
    private readonly TimeProvider _clock = options.TimeProvider;

    /// <summary>Peer packets refused: unknown or expired introduction, bad proof, or an unsolicited answer.</summary>
    public long RejectedPackets { get; private set; }

    public IReadOnlyList<PeerConnection> Connected
    {
        get
        {
            lock (_gate)
            {
                return [.. _links.Values.Where(l => l.State == PeerLinkState.Connected).Select(l => l.Connection!)];
            }
        }
    }

    public void Introduce(IntroductionMessage introduction)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (_links.ContainsKey(introduction.IntroductionId))
            {
                return;
            }

            var lifetime = introduction.Lifetime < options.PunchTimeout ? introduction.Lifetime : options.PunchTimeout;
            var link = new PeerLink(introduction, now + lifetime) { NextPunchAt = now };
            _links[introduction.IntroductionId] = link;
            if (lifetime <= TimeSpan.Zero)
            {
                link.State = PeerLinkState.Closed;
                publish(new PeerConnectFailed(introduction.PeerId, "introduction-expired"));
                return;
            }

            ProbeAll(link, now);
        }
    }

    public void OnPeerMessage(StunMessage message, SocketAddress source)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (!message.TryGetGuid(StunAttributeType.IntroductionId, out var id)
                || !_links.TryGetValue(id, out var link)
                || link.State == PeerLinkState.Closed
                || !message.HasValidMessageIntegritySha256(link.Introduction.Secret))
            {
                RejectedPackets++;
                return;
            }

            var type = message.Type;
            switch (type.Method, type.Class)
            {
                case (StunMethods.Punch, StunClass.Request):
                    OnProbe(link, message, source, now);
                    break;
                case (StunMethods.Punch, StunClass.SuccessResponse) when link.AnswersOurProbe(message.TransactionId, source):
                    OnProbeAnswered(link, source, now);
                    break;
                case (StunMethods.PeerData or StunMethods.Keepalive or StunMethods.Bye, StunClass.Indication) when !IsFresh(link, message):
                    // A copy of a genuine indication, replayed by anyone who saw it on the wire.
                    RejectedPackets++;
                    break;
                case (StunMethods.PeerData, StunClass.Indication):
                    link.LastReceived = now;
                    var payload = message.TryGetAttribute(StunAttributeType.Payload, out ReadOnlySpan<byte> data) ? data.ToArray() : [];
                    publish(new PeerMessageReceived(link.Connection!, payload));
                    break;
                case (StunMethods.Keepalive, StunClass.Indication):
                    link.LastReceived = now;
                    break;
                case (StunMethods.Bye, StunClass.Indication):
                    Close(link, "peer-left");
                    break;
                default:
                    RejectedPackets++;
                    break;
            }
        }
    }

    public void Tick()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            foreach (var link in _links.Values)
            {
                switch (link.State)
                {
                    case PeerLinkState.Punching when now >= link.PunchDeadline:
                        link.State = PeerLinkState.Closed;
                        publish(new PeerConnectFailed(link.Introduction.PeerId, "punch-timeout"));
                        break;
                    case PeerLinkState.Punching when now >= link.NextPunchAt:
                        ProbeAll(link, now);
                        break;
                    case PeerLinkState.Connected when now - link.LastReceived > options.PeerTimeout:
                        Close(link, "peer-timeout");
                        break;
                    case PeerLinkState.Connected when now - link.LastSent >= options.KeepaliveInterval:
                        SendIndication(link, StunMethods.Keepalive, [], now);
                        break;
                }
            }
        }
    }

    public void Send(PeerLink link, ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxPayload)
        {
            throw new ArgumentException($"A peer datagram carries at most {MaxPayload} bytes.", nameof(data));
        }

        lock (_gate)
        {
            if (link.State != PeerLinkState.Connected)
            {
                throw new InvalidOperationException($"The connection to {link.Introduction.PeerId:N} is closed.");
            }

            SendIndication(link, StunMethods.PeerData, data, _clock.GetUtcNow());
        }
    }

    /// <summary>
    /// Says goodbye so peers need not wait for a timeout. A link still punching here may already be
    /// connected on the other side (it saw our answer before we saw its), so it hears goodbye on every
    /// candidate endpoint.
    /// </summary>
    public void CloseAll()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            foreach (var link in _links.Values)
            {
                if (link.State == PeerLinkState.Connected)
                {
                    SendIndication(link, StunMethods.Bye, [], now);
                }
                else if (link.State == PeerLinkState.Punching)
                {
                    foreach (var candidate in link.Candidates)
                    {
                        SendIndication(link, StunMethods.Bye, candidate.Serialize(), now);
                    }
                }

                link.State = PeerLinkState.Closed;
            }
        }
    }

    /// <summary>
    /// An indication counts once, on a connected link, with a sequence number not seen before. Its source
    /// is not checked: the two directions of a path may show different addresses (a symmetric NAT, a LAN
    /// path one way), and the HMAC already proves who sent it.
    /// </summary>
    private static bool IsFresh(PeerLink link, StunMessage message)
    {
        if (link.State != PeerLinkState.Connected
            || !message.TryGetAttribute(StunAttributeType.Sequence, out ReadOnlySpan<byte> value) || value.Length != sizeof(ulong))
        {
            return false;
        }

        return link.Received.TryAccept(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(value));
    }

    private void OnProbe(PeerLink link, StunMessage message, SocketAddress source, DateTimeOffset now)
    {
        if (link.State == PeerLinkState.Punching && now >= link.PunchDeadline)
        {
            RejectedPackets++;
            return;
        }

        Span<byte> buffer = stackalloc byte[256];
        var length = PeerMessages.WritePunchResponse(buffer, message.TransactionId, link.Introduction.IntroductionId, source, link.Introduction.Secret);
        transport.Send(buffer[..length], source);
        if (link.State == PeerLinkState.Punching)
        {
            var endpoint = SocketAddressParts.ToEndPoint(source);
            if (link.LearnCandidate(endpoint))
            {
                Probe(link, endpoint);
            }
        }
        else
        {
            link.LastReceived = now;
        }
    }

    private void OnProbeAnswered(PeerLink link, SocketAddress source, DateTimeOffset now)
    {
        if (link.State != PeerLinkState.Punching)
        {
            link.LastReceived = now;
            return;
        }

        link.Connect(source, now);
        link.LastSent = now;
        link.Connection = new PeerConnection(this, link);
        publish(new PeerConnected(link.Connection));
    }

    private void ProbeAll(PeerLink link, DateTimeOffset now)
    {
        foreach (var candidate in link.Candidates)
        {
            Probe(link, candidate);
        }

        link.NextPunchAt = now + options.PunchInterval;
    }

    private void Probe(PeerLink link, IPEndPoint destination)
    {
        if (destination.AddressFamily != transport.LocalEndPoint.AddressFamily)
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[256];
        Span<byte> transactionId = stackalloc byte[StunHeader.TransactionIdLength];
        var length = PeerMessages.WritePunchRequest(buffer, link.Introduction.IntroductionId, link.Introduction.Secret, transactionId);
        link.RememberProbe(transactionId, destination);
        try
        {
            transport.Send(buffer[..length], destination);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // An unreachable candidate (a LAN address from another network) is normal; the others carry on.
        }
    }

    private void SendIndication(PeerLink link, ushort method, ReadOnlySpan<byte> payload, DateTimeOffset now) =>
        SendIndication(link, method, link.RemoteAddress!, now, payload);

    private void SendIndication(PeerLink link, ushort method, SocketAddress destination, DateTimeOffset now, ReadOnlySpan<byte> payload = default)
    {
        Span<byte> buffer = stackalloc byte[ProtocolLimits.MaxDatagram];
        var length = PeerMessages.WriteIndication(buffer, method, link.Introduction.IntroductionId, ++link.SentSequence, payload, link.Introduction.Secret);
        try
        {
            transport.Send(buffer[..length], destination);
        }
        catch (System.Net.Sockets.SocketException) when (link.State != PeerLinkState.Connected)
        {
            // A candidate that cannot be reached is expected; only the verified path must work.
        }

        link.LastSent = now;
    }

    private void Close(PeerLink link, string reason)
    {
        link.State = PeerLinkState.Closed;
        publish(new PeerDisconnected(link.Connection!, reason));
    }
}
