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

            var punchFor = introduction.Lifetime < options.PunchTimeout ? introduction.Lifetime : options.PunchTimeout;
            var link = new PeerLink(introduction, now + introduction.Lifetime, now + punchFor) { NextPunchAt = now };
            _links[introduction.IntroductionId] = link;
            if (introduction.Lifetime <= TimeSpan.Zero)
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
            if (type.Method == StunMethods.Punch && now >= (link.State == PeerLinkState.Connected ? link.ExpiresAt : link.PunchDeadline))
            {
                // An expired introduction starts nothing, whatever the link's state: its secret may have
                // leaked by now, and a genuine peer stops punching when its own copy expires. A link still
                // punching also stops at this client's punch timeout.
                RejectedPackets++;
                return;
            }

            switch (type.Method, type.Class)
            {
                case (StunMethods.Punch, StunClass.Request):
                    OnProbe(link, message, source, now);
                    break;
                case (StunMethods.Punch, StunClass.SuccessResponse) when link.AnswersOurProbe(message.TransactionId, source):
                    OnProbeAnswered(link, source, now);
                    break;
                case (StunMethods.PeerData, StunClass.Indication) when link.State == PeerLinkState.Connected:
                    link.LastReceived = now;
                    var payload = message.TryGetAttribute(StunAttributeType.Payload, out ReadOnlySpan<byte> data) ? data.ToArray() : [];
                    publish(new PeerMessageReceived(link.Connection!, payload));
                    break;
                case (StunMethods.Keepalive, StunClass.Indication) when link.State == PeerLinkState.Connected:
                    link.LastReceived = now;
                    break;
                case (StunMethods.Bye, StunClass.Indication) when link.State == PeerLinkState.Connected:
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
                        publish(new PeerConnectFailed(link.Introduction.PeerId, now >= link.ExpiresAt ? "introduction-expired" : "punch-timeout"));
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

    private void OnProbe(PeerLink link, StunMessage message, SocketAddress source, DateTimeOffset now)
    {
        Span<byte> buffer = stackalloc byte[256];
        var length = PeerMessages.WritePunchResponse(buffer, message.TransactionId, link.Introduction.IntroductionId, source, link.Introduction.Secret);
        transport.Send(buffer[..length], source);
        if (link.State == PeerLinkState.Punching)
        {
            // Probe straight back rather than at the next round: the peer's NAT has just sent toward us,
            // so a restricted-cone filter now lets our probe through, and waiting for the next round
            // cost one punch interval (200 ms) whenever our first probe reached its NAT too early.
            // One probe per verified probe, so this never multiplies traffic. A new source port is a
            // symmetric NAT's mapping for us: learnt as a candidate, it is probed every round too.
            var endpoint = SocketAddressParts.ToEndPoint(source);
            link.LearnCandidate(endpoint);
            Probe(link, endpoint);
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
        var length = PeerMessages.WriteIndication(buffer, method, link.Introduction.IntroductionId, payload, link.Introduction.Secret);
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
