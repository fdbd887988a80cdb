using System.Net;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Client;

/// <summary>
/// Turns introductions into connections. Both sides probe every candidate endpoint at once and keep
/// probing until a probe is answered with proof of the shared secret (then the path is known to work
/// both ways), the deadline passes, or the introduction expires. Connected peers get keepalives and
/// are reported lost after a silence. Every accepted packet carries a valid HMAC of the secret.
/// A relayed introduction runs the same protocol inside relay data frames: bind to the allocation first,
/// then probe through the relay; the peer's HMAC still proves every packet, so the relay cannot forge any.
/// Each punch ends exactly once, connected or failed, and that end is handed to <c>punchEnded</c>
/// (called under the lock: it must not block).
/// </summary>
internal sealed class PeerManager(
    ClientTransport transport,
    MatchmakerClientOptions options,
    Action<MatchmakerEvent> publish,
    Action<IntroductionMessage, PunchOutcome, TimeSpan> punchEnded)
{
    /// <summary>Room left for the payload in one datagram after header, id, HMAC and fingerprint.</summary>
    public const int MaxPayload = ProtocolLimits.MaxDatagram - 128;

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, PeerLink> _links = [];
    private readonly TimeProvider _clock = options.TimeProvider;

    /// <summary>
    /// How long an <c>ipv6</c> plan probes only its IPv6 candidates before the IPv4 ones join in: the
    /// path then really is IPv6 where IPv6 works, and a broken IPv6 network still falls back to IPv4.
    /// </summary>
    private readonly TimeSpan _ipv6Head = options.PunchTimeout / 4;

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
            var link = new PeerLink(introduction, now, now + introduction.Lifetime, now + punchFor) { NextPunchAt = now, StartedAt = now };
            _links[introduction.IntroductionId] = link;
            if (introduction.Lifetime <= TimeSpan.Zero)
            {
                Fail(link, PunchOutcome.IntroductionExpired, "introduction-expired", now);
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
                        var expired = now >= link.ExpiresAt;
                        Fail(link, expired ? PunchOutcome.IntroductionExpired : PunchOutcome.PunchTimeout, expired ? "introduction-expired" : "punch-timeout", now);
                        break;
                    case PeerLinkState.Punching when now >= link.NextPunchAt:
                        ProbeAll(link, now);
                        break;
                    case PeerLinkState.Connected when link.RelayAddress is not null && now >= link.NextBindAt:
                        // Refresh: keeps the allocation and this NAT's mapping alive, and moves the side if a
                        // symmetric NAT gave us a new port.
                        Bind(link, now, options.KeepaliveInterval);
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

        Span<byte> buffer = stackalloc byte[RelayFrame.HeaderLength + 256];
        var length = PeerMessages.WritePunchResponse(buffer[RelayFrame.HeaderLength..], message.TransactionId, link.Introduction.IntroductionId, source, link.Introduction.Secret);
        Transmit(link, buffer, length, source);
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
        punchEnded(link.Introduction, PunchOutcome.Connected, link.TimeToConnect);
    }

    private void Fail(PeerLink link, PunchOutcome outcome, string reason, DateTimeOffset now)
    {
        link.State = PeerLinkState.Closed;
        var elapsed = now - link.IntroducedAt;
        publish(new PeerConnectFailed(link.Introduction.PeerId, reason) { Method = link.Introduction.Method, Elapsed = elapsed });
        punchEnded(link.Introduction, outcome, elapsed);
    }

    private void ProbeAll(PeerLink link, DateTimeOffset now)
    {
        if (link.RelayAddress is not null && link.RelayHandle is null)
        {
            Bind(link, now, options.PunchInterval);
            link.NextPunchAt = now + options.PunchInterval;
            return;
        }

        var ipv6Only = link.Introduction.Method == ConnectMethod.Ipv6
            && now - link.StartedAt < _ipv6Head
            && transport.CanReach(System.Net.Sockets.AddressFamily.InterNetworkV6)
            && link.Candidates.Any(c => c.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);
        foreach (var candidate in link.Candidates)
        {
            if (!ipv6Only || candidate.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                Probe(link, candidate);
            }
        }

        link.NextPunchAt = now + options.PunchInterval;
    }

    private void Probe(PeerLink link, IPEndPoint destination)
    {
        if (!transport.CanReach(destination.AddressFamily))
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[RelayFrame.HeaderLength + 256];
        Span<byte> transactionId = stackalloc byte[StunHeader.TransactionIdLength];
        var length = PeerMessages.WritePunchRequest(buffer[RelayFrame.HeaderLength..], link.Introduction.IntroductionId, link.Introduction.Secret, transactionId);
        link.RememberProbe(transactionId, destination);
        try
        {
            Transmit(link, buffer, length, destination.Serialize());
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
        Span<byte> buffer = stackalloc byte[RelayFrame.HeaderLength + ProtocolLimits.MaxDatagram];
        var length = PeerMessages.WriteIndication(buffer[RelayFrame.HeaderLength..], method, link.Introduction.IntroductionId, ++link.SentSequence, payload, link.Introduction.Secret);
        try
        {
            Transmit(link, buffer, length, destination);
        }
        catch (System.Net.Sockets.SocketException) when (link.State != PeerLinkState.Connected)
        {
            // A candidate that cannot be reached is expected; only the verified path must work.
        }

        link.LastSent = now;
    }

    /// <summary>A data frame from a relay: unwrap it and treat its content as peer traffic from the relay's address.</summary>
    public void OnRelayFrame(ReadOnlySpan<byte> datagram, SocketAddress source)
    {
        if (!RelayFrame.TryRead(datagram, out _, out var payload)
            || StunMessage.TryParse(payload, out var message) != StunParseStatus.Ok
            || !StunMethods.IsPeer(message.Type.Method))
        {
            lock (_gate)
            {
                RejectedPackets++;
            }

            return;
        }

        lock (_gate)
        {
            // Only a link bound to this relay takes relayed traffic; the HMAC check in OnPeerMessage does the rest.
            if (!message.TryGetGuid(StunAttributeType.IntroductionId, out var id)
                || !_links.TryGetValue(id, out var link)
                || link.RelayAddress is null
                || !link.RelayAddress.Equals(source))
            {
                RejectedPackets++;
                return;
            }
        }

        OnPeerMessage(message, source);
    }

    /// <summary>The relay's answer to a bind: this side's handle, or an error that ends the attempt.</summary>
    public void OnRelayBindAnswer(StunMessage message, SocketAddress source)
    {
        lock (_gate)
        {
            foreach (var link in _links.Values)
            {
                if (link.RelayAddress is null
                    || link.State == PeerLinkState.Closed
                    || !link.RelayAddress.Equals(source)
                    || !message.TransactionId.SequenceEqual(link.BindTransaction)
                    || !message.HasValidMessageIntegritySha256(link.Introduction.Relay!.Key))
                {
                    continue;
                }

                if (message.Type.Class == StunClass.SuccessResponse && message.TryGetUInt32(StunAttributeType.RelayHandle, out var handle))
                {
                    var first = link.RelayHandle is null;
                    link.RelayHandle = handle;
                    if (first && link.State == PeerLinkState.Punching)
                    {
                        ProbeAll(link, _clock.GetUtcNow());
                    }
                }
                else if (message.TryGetErrorCode(out _, out var reason))
                {
                    Fail(link, reason);
                }

                return;
            }

            RejectedPackets++;
        }
    }

    /// <summary>The cluster says this introduction's relay node is gone.</summary>
    public void OnRelayLost(Guid introductionId)
    {
        lock (_gate)
        {
            if (!_links.TryGetValue(introductionId, out var link) || link.RelayAddress is null)
            {
                return;
            }

            Fail(link, "relay-lost");
        }
    }

    private void Fail(PeerLink link, string reason)
    {
        switch (link.State)
        {
            case PeerLinkState.Connected:
                Close(link, reason);
                break;
            case PeerLinkState.Punching:
                link.State = PeerLinkState.Closed;
                publish(new PeerConnectFailed(link.Introduction.PeerId, reason));
                break;
        }
    }

    private void Bind(PeerLink link, DateTimeOffset now, TimeSpan again)
    {
        var relay = link.Introduction.Relay!;
        Span<byte> buffer = stackalloc byte[256];
        var length = RelayBindMessages.WriteRequest(buffer, relay.Token, relay.Key, link.BindTransaction);
        try
        {
            transport.Send(buffer[..length], link.RelayAddress!);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Retried on the next tick; the punch deadline bounds how long.
        }

        link.NextBindAt = now + again;
    }

    /// <summary>
    /// Sends a peer message written at <paramref name="buffer"/>[8..]: as is to <paramref name="destination"/>,
    /// or, on a relayed link, behind a data frame header to the relay (whatever the destination says).
    /// </summary>
    private void Transmit(PeerLink link, Span<byte> buffer, int length, SocketAddress destination)
    {
        if (link.RelayAddress is not { } relay)
        {
            transport.Send(buffer.Slice(RelayFrame.HeaderLength, length), destination);
            return;
        }

        if (link.RelayHandle is not { } handle)
        {
            return;
        }

        RelayFrame.WriteHeader(buffer, handle);
        transport.Send(buffer[..(RelayFrame.HeaderLength + length)], relay);
    }

    private void Close(PeerLink link, string reason)
    {
        link.State = PeerLinkState.Closed;
        publish(new PeerDisconnected(link.Connection!, reason));
    }
}
