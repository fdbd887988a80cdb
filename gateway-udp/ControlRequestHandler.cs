using System.Collections.Concurrent;
using System.Collections.Immutable;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Gateway;

/// <summary>
/// The asynchronous half of the control path: calls the player's grain and answers with a reply signed
/// by the player's key. The number of requests in flight is bounded; past it they are dropped and counted.
/// </summary>
internal sealed class ControlRequestHandler(
    IGrainFactory grains,
    PlayerGrainReferences players,
    PushObserverReference push,
    GatewayListeners listeners,
    GatewayOptions options,
    GatewayMetrics metrics,
    GatewayRateLimits limits,
    HeartbeatLeases leases,
    TimeProvider clock,
    ILogger<ControlRequestHandler> logger)
{
    /// <summary>A report's answer can lose the race with the client's 500 ms retransmission under load; count it once.</summary>
    private readonly RecentTransactions _reports = new(16384);

    /// <summary>
    /// The requests waiting on the cluster, by player and transaction. Clients retransmit after 500 ms, doubling
    /// (RFC 8489): without this a cluster slower than that would be asked every request two, three, four times —
    /// load multiplying just when it is already too much. Bounded by <see cref="GatewayOptions.MaxInFlightRequests"/>.
    /// </summary>
    private readonly ConcurrentDictionary<ForwardedRequest, byte> _forwarded = new();
    private int _inFlight;
    private volatile bool _draining;

    /// <summary>The answer to a leased heartbeat, kept while the interval stays the same (it nearly always does).</summary>
    private ControlReply? _leasedReply;

    /// <summary>The route of the socket last heartbeated through: nearly every heartbeat reuses it rather than allocating its own.</summary>
    private GatewayRoute? _route;

    /// <summary>Requests sent to the cluster and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>From now on new requests are dropped and counted <c>draining</c>; those in flight still get their answers.</summary>
    public void StopAdmitting() => _draining = true;

    public void Start(ControlRequest request)
    {
        if (_draining)
        {
            metrics.Count(PacketTypes.ForMethod(request.Method), PacketResult.Draining);
            return;
        }

        var digest = 0UL;
        if (request.Method == StunMethods.Heartbeat)
        {
            if (push.IsReady)
            {
                digest = PresenceDigest.Of(RouteFor(request.Socket), request);
                if (leases.TryAnswer(request.PlayerId, digest, out var interval))
                {
                    // Answered here, on the receive thread: the grain renewed this player for the lease already.
                    metrics.Count(PacketType.Heartbeat, PacketResult.Leased);
                    Send(request, LeasedReply(interval));
                    return;
                }
            }
        }
        else if (request.Method is not (StunMethods.List or StunMethods.PunchReport))
        {
            // Whatever may change the player's state must reach its grain, and so must the heartbeats after it.
            leases.Drop(request.PlayerId);
        }

        var forwarded = new ForwardedRequest(request.PlayerId, TransactionKey.From(request.TransactionId));
        if (!_forwarded.TryAdd(forwarded, 0))
        {
            metrics.Count(PacketTypes.ForMethod(request.Method), PacketResult.Retransmission);
            return;
        }

        if (Interlocked.Increment(ref _inFlight) > options.MaxInFlightRequests || !push.IsReady)
        {
            Interlocked.Decrement(ref _inFlight);
            _forwarded.TryRemove(forwarded, out _);
            metrics.Count(PacketTypes.ForMethod(request.Method), PacketResult.Overloaded);
            return;
        }

        // Not started here, on the socket's dedicated receive thread: Orleans pools each call's response
        // completion source in per-thread stacks (no cap), taking it on the thread that makes the call and
        // returning it on the thread that reads the answer, a thread-pool worker. Called from the receive
        // thread, every request moved one object (64 bytes) onto a worker's stack for good, about 0.06 MiB/s
        // in the 10 000-player soak (docs/reliability.md). Started on a worker, takes and returns balance.
        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Handler.HandleAsync(state.Request, state.Digest, state.Forwarded), (Handler: this, Request: request, Digest: digest, Forwarded: forwarded), preferLocal: false);
    }

    private ControlReply LeasedReply(TimeSpan interval)
    {
        var reply = _leasedReply;
        if (reply is null || reply.HeartbeatInterval != interval)
        {
            _leasedReply = reply = new ControlReply(null, interval, null, []);
        }

        return reply;
    }

    private async Task HandleAsync(ControlRequest request, ulong digest, ForwardedRequest forwarded)
    {
        var type = PacketTypes.ForMethod(request.Method);
        try
        {
            var reply = await CallClusterAsync(request, digest);
            if (reply.Error == ProtocolErrors.NotRegistered)
            {
                // The grain lost the player (a new activation after a silo loss): the heartbeat the client sends on
                // hearing this must reach the grain, so the lease goes before the answer does.
                leases.Drop(request.PlayerId);
            }

            // Counted before the answer leaves: whoever holds the answer may already be reading the count.
            metrics.Count(type, reply.Error is null ? PacketResult.Ok : PacketResult.Error);
            Send(request, reply);
        }
        catch (Exception exception)
        {
            leases.Drop(request.PlayerId);
            GatewayLog.ClusterCallFailed(logger, type, exception);
            metrics.Count(type, PacketResult.Error);
            Send(request, ControlReply.Failed(ProtocolErrors.Unavailable));
        }
        finally
        {
            // After the answer left: a retransmission from here on is one the client sent before hearing it.
            _forwarded.TryRemove(forwarded, out _);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<ControlReply> CallClusterAsync(ControlRequest request, ulong digest)
    {
        var player = players.Get(request.PlayerId);
        switch (request.Method)
        {
            case StunMethods.Register or StunMethods.Heartbeat:
                var route = RouteFor(request.Socket);
                if (digest == 0)
                {
                    digest = PresenceDigest.Of(route, request);
                }

                // Taken before the call: the lease then ends on this clock before the grain's registration could.
                var revocationMark = leases.RevocationMark(request.PlayerId);
                var sentAt = clock.GetTimestamp();

                // A heartbeat whose presence the grain already holds sends the digest alone: no presence to copy
                // or serialise. A Register always sends it whole, and so does a heartbeat the grain turned back.
                var status = (request.Method == StunMethods.Heartbeat ? await player.RefreshAsync(digest) : null)
                    ?? await player.HeartbeatAsync(Presence(request, route, digest));
                leases.Grant(request.PlayerId, digest, revocationMark, sentAt, status.Lease, status.HeartbeatInterval);
                return new ControlReply(null, status.HeartbeatInterval, null, []);
            case StunMethods.Host:
                return FromLobby(await player.HostLobbyAsync(new LobbySpec(request.LobbyName!, request.MaxPlayers), RequestId(request)));
            case StunMethods.Join:
                var joined = LobbyCode.TryNormalize(request.LobbyCode, out var code)
                    ? FromLobby(await player.JoinLobbyAsync(code, RequestId(request)))
                    : ControlReply.Failed(ProtocolErrors.LobbyNotFound);
                if (joined.Error == ProtocolErrors.LobbyNotFound)
                {
                    // A wrong code is a guess at the code space; the source IP has only so many.
                    limits.CountFailedJoin(request.Source);
                }

                return joined;
            case StunMethods.Leave:
                await player.LeaveLobbyAsync();
                return ControlReply.Empty;
            case StunMethods.Queue:
                return FromQueue(await player.EnqueueAsync(new QueueSpec(request.QueueMode!, request.QueueSize, request.QueueRegion)));
            case StunMethods.QueueLeave:
                await player.LeaveQueueAsync();
                return ControlReply.Empty;
            case StunMethods.List:
                var lobbies = await grains.GetGrain<ILobbyBrowserGrain>(0).ListAsync(ProtocolLimits.MaxListedLobbies);
                return new ControlReply(null, null, null, lobbies);
            case StunMethods.PunchReport when request.PunchReport is { } report:
                if (!_reports.TryRemember(request.TransactionId))
                {
                    return ControlReply.Empty;
                }

                var result = new PunchResult(report.Method, report.OwnNat, report.PeerNat, report.Outcome == PunchOutcome.Connected, report.TimeToConnect);
                await grains.GetGrain<IPunchStatsGrain>(0).RecordAsync(result);
                return ControlReply.Empty;
            default:
                return ControlReply.Failed(ProtocolErrors.BadRequest);
        }
    }

    private static PlayerPresence Presence(ControlRequest request, GatewayRoute route, ulong digest)
    {
        var claim = request.LobbyCode is { } claimed
            ? new LobbyClaim(claimed, request.LobbyName is { } hostedName ? new LobbySpec(hostedName, request.MaxPlayers) : null)
            : null;
        return new PlayerPresence(request.Source, request.LanEndpoints, request.Capabilities, route, request.Ipv6Endpoint, request.ListenEndpoint, claim, digest);
    }

    private GatewayRoute RouteFor(GatewaySocket socket)
    {
        var route = _route;
        if (route is null || !ReferenceEquals(route.Gateway, push.Value) || !ReferenceEquals(route.GatewayEndpoint, socket.LocalEndPoint))
        {
            _route = route = new GatewayRoute(push.Value, socket.LocalEndPoint);
        }

        return route;
    }

    /// <summary>The STUN transaction id, which a client keeps across retransmissions, as the grain's request id.</summary>
    private static Guid RequestId(ControlRequest request)
    {
        Span<byte> bytes = stackalloc byte[16];
        request.TransactionId.CopyTo(bytes);
        return new Guid(bytes);
    }

    private static ControlReply FromLobby(LobbyResult result) => result.Status switch
    {
        LobbyStatus.Ok => new ControlReply(null, null, result.Lobby, []),
        LobbyStatus.NotFound => ControlReply.Failed(ProtocolErrors.LobbyNotFound),
        LobbyStatus.Full => ControlReply.Failed(ProtocolErrors.LobbyFull),
        LobbyStatus.NotRegistered => ControlReply.Failed(ProtocolErrors.NotRegistered),
        LobbyStatus.AlreadyHosting => ControlReply.Failed(ProtocolErrors.AlreadyInLobby),
        LobbyStatus.RelayRequired => ControlReply.Failed(ProtocolErrors.RelayRequired),
        LobbyStatus.RateLimited => ControlReply.Failed(ProtocolErrors.RateLimited),
        _ => ControlReply.Failed(ProtocolErrors.BadRequest),
    };

    private static ControlReply FromQueue(QueueStatus status) => status switch
    {
        QueueStatus.Ok => ControlReply.Empty,
        QueueStatus.NotRegistered => ControlReply.Failed(ProtocolErrors.NotRegistered),
        QueueStatus.Full => ControlReply.Failed(ProtocolErrors.QueueFull),
        QueueStatus.InvalidSpec => ControlReply.Failed(ProtocolErrors.InvalidQueueSpec),
        _ => ControlReply.Failed(ProtocolErrors.BadRequest),
    };

    private void Send(ControlRequest request, ControlReply reply)
    {
        Span<byte> buffer = stackalloc byte[ProtocolLimits.MaxDatagram];
        var key = request.Key;
        var writer = reply.Error is { } error
            ? SignedReply.Error(buffer, request.Method, request.TransactionId, error)
            : SignedReply.Success(buffer, request.Method, request.TransactionId);
        if (reply.Error is null)
        {
            WriteBody(ref writer, request, reply, key);
        }

        SignedReply.SignAndSend(ref writer, key, request.Socket, request.Source.Serialize());
    }

    private void WriteBody(ref StunMessageWriter writer, ControlRequest request, ControlReply reply, ReadOnlySpan<byte> key)
    {
        if (request.Method == StunMethods.Register)
        {
            writer.AppendGuid(StunAttributeType.PlayerId, request.PlayerId);
            writer.Append(StunAttributeType.PlayerKey, key);
        }

        if (reply.HeartbeatInterval is { } interval)
        {
            writer.AppendXorAddress(StunAttributeType.XorMappedAddress, request.Source);
            writer.AppendUInt32(StunAttributeType.HeartbeatInterval, (uint)interval.TotalMilliseconds);

            // Where to send a Binding over IPv6: the client's public IPv6 endpoint is what IPv6 peers punch to.
            if (listeners.PrimaryIpv6 is { } v6 && request.Source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            {
                writer.AppendXorAddress(StunAttributeType.GatewayIpv6, v6);
            }
        }

        if (reply.Lobby is { } lobby)
        {
            LobbyEntryAttribute.Append(ref writer, lobby.Code, lobby.Name, lobby.Players, lobby.MaxPlayers);
        }

        foreach (var listed in reply.Listed)
        {
            if (!writer.Fits(LobbyEntryAttribute.ValueLength(listed.Code, listed.Name) + 48))
            {
                break;
            }

            LobbyEntryAttribute.Append(ref writer, listed.Code, listed.Name, listed.Players, listed.MaxPlayers);
        }
    }

    /// <summary>A request as its client names it across retransmissions: the player and the STUN transaction id.</summary>
    private readonly record struct ForwardedRequest(Guid Player, TransactionKey Transaction);

    private sealed record ControlReply(ProtocolError? Error, TimeSpan? HeartbeatInterval, LobbySummary? Lobby, ImmutableArray<LobbySummary> Listed)
    {
        public static ControlReply Empty { get; } = new(null, null, null, []);

        public static ControlReply Failed(ProtocolError error) => new(error, null, null, []);
    }
}
