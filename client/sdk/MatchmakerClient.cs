using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Client;

/// <summary>
/// A player's handle on Matchmaker: register, host or join a lobby, and get direct peer connections.
/// <code>
/// await using var client = await MatchmakerClient.ConnectAsync(new() { Server = gateway });
/// var lobby = await client.HostAsync("friday night", maxPlayers: 4);
/// await foreach (var e in client.Events.ReadAllAsync()) { ... }
/// </code>
/// </summary>
public sealed class MatchmakerClient : IAsyncDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>How long disposal lets punch reports still in flight finish: long enough for a round trip and a retransmission.</summary>
    private static readonly TimeSpan ReportGrace = TimeSpan.FromSeconds(1);

    private readonly MatchmakerClientOptions _options;
    private readonly ClientTransport _transport;
    private readonly ServerSession _session;
    private readonly PeerManager _peers;
    private readonly Reachability _reachability;
    private readonly Channel<MatchmakerEvent> _events;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<TransactionKey> _acknowledgedPushes = [];
    private readonly Lock _queueGate = new();
    private readonly List<IntroductionMessage> _earlyIntroductions = [];
    private bool _queued;
    private readonly HashSet<Task> _reports = [];
    private Task _background = Task.CompletedTask;
    private long _droppedEvents;
    private long _punchReportsSent;
    private long _punchReportsFailed;
    private long _heartbeatsAnswered;

    private MatchmakerClient(MatchmakerClientOptions options)
    {
        _options = options;
        var local = options.LocalEndPoint
            ?? new IPEndPoint(options.Server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _transport = new ClientTransport(local, options.TimeProvider, withIpv6: options.Ipv6);
        _reachability = new Reachability(_transport, options);
        _session = new ServerSession(_transport, options, LanEndpoints.Discover(_transport.LocalEndPoint));
        _events = Channel.CreateBounded<MatchmakerEvent>(
            new BoundedChannelOptions(options.EventCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = false },
            _ => Interlocked.Increment(ref _droppedEvents));
        _peers = new PeerManager(_transport, options, Publish, OnPunchEnded);
    }

    public Guid PlayerId => _session.PlayerId;

    /// <summary>This socket's address as the gateway sees it (the NAT's public mapping).</summary>
    public IPEndPoint? PublicEndPoint => _session.PublicEndPoint;

    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

    /// <summary>This player's public IPv6 endpoint, when it has an IPv6 path to the gateway (peers with IPv6 punch to it).</summary>
    public IPEndPoint? Ipv6EndPoint => _reachability.Ipv6EndPoint;

    /// <summary>Where peers may connect unsolicited: the UPnP-mapped endpoint or the declared open port.</summary>
    public IPEndPoint? ListenEndPoint => _reachability.ListenEndPoint;

    /// <summary>The port mapping held on the LAN's UPnP IGD, if one was made; deleted on dispose.</summary>
    public Upnp.UpnpPortMapping? UpnpMapping => _reachability.UpnpMapping;

    /// <summary>The lobby this player hosts or joined, if any.</summary>
    public string? LobbyCode => _session.Lobby?.Code;

    public ChannelReader<MatchmakerEvent> Events => _events.Reader;

    /// <summary>Whether a queue ticket is waiting (between <see cref="QueueAsync"/> and its <see cref="QueueMatched"/>).</summary>
    public bool IsQueued
    {
        get
        {
            lock (_queueGate)
            {
                return _queued;
            }
        }
    }

    public IReadOnlyList<PeerConnection> Peers => _peers.Connected;

    /// <summary>
    /// What connect found out: NAT behaviour (measured when <see cref="MatchmakerClientOptions.ClassifyNat"/> is on,
    /// else unknown), IPv6 reachability, UPnP mapping and declared open port.
    /// </summary>
    public NatReport? Nat { get; private set; }

    /// <summary>Events lost because nobody read <see cref="Events"/> fast enough.</summary>
    public long DroppedEvents => Interlocked.Read(ref _droppedEvents);

    /// <summary>Punch outcomes the gateway acknowledged (<see cref="MatchmakerClientOptions.ReportPunchOutcomes"/>).</summary>
    public long PunchReportsSent => Interlocked.Read(ref _punchReportsSent);

    /// <summary>Punch outcomes that could not be delivered (gateway unreachable or refused them); the game is unaffected.</summary>
    public long PunchReportsFailed => Interlocked.Read(ref _punchReportsFailed);

    /// <summary>Heartbeats the gateway answered since connecting: rising again after a gateway outage means the player is back.</summary>
    public long HeartbeatsAnswered => Interlocked.Read(ref _heartbeatsAnswered);

    /// <summary>Peer packets refused for lack of valid proof (forged, expired or unsolicited).</summary>
    public long RejectedPeerPackets => _peers.RejectedPackets;

    /// <summary>Binds a socket, registers with the gateway and starts heartbeating.</summary>
    public static async Task<MatchmakerClient> ConnectAsync(MatchmakerClientOptions options, CancellationToken cancellationToken = default)
    {
        var client = new MatchmakerClient(options);
        try
        {
            client._transport.Start(client.OnInbound, client._peers.OnRelayFrame);
            client._reachability.StartDiscovery(cancellationToken);
            try
            {
                if (options.ClassifyNat)
                {
                    await client.ClassifyAsync(cancellationToken);
                }

                await client._session.RegisterAsync(cancellationToken);
                await client.LearnReachabilityAsync(cancellationToken);
            }
            catch (TimeoutException timeout)
            {
                throw new MatchmakerException(ProtocolErrors.Unavailable, $"The gateway at {options.Server} did not answer: {timeout.Message}");
            }

            client._background = Task.WhenAll(client.HeartbeatLoopAsync(), client.TickLoopAsync(), client._reachability.RenewLoopAsync(client._stopping.Token));
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Everything connect measures, from a fresh socket, then lets go (what <c>mm nat</c> does): RFC 5780
    /// behaviour discovery, a registration (the gateway names its IPv6 address only to registered players;
    /// the registration lapses after its missed heartbeats), IPv6 reachability, and a UPnP mapping that is
    /// made to prove the IGD grants one and deleted again at once.
    /// </summary>
    public static async Task<NatReport> ProbeNatAsync(MatchmakerClientOptions options, CancellationToken cancellationToken = default)
    {
        await using var client = await ConnectAsync(options, cancellationToken);
        return client.Nat!;
    }

    public async Task<LobbyInfo> HostAsync(string name, int maxPlayers = 8, CancellationToken cancellationToken = default)
    {
        if (maxPlayers is < ProtocolLimits.MinPlayers or > ProtocolLimits.MaxPlayers)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPlayers), maxPlayers, $"A lobby holds {ProtocolLimits.MinPlayers} to {ProtocolLimits.MaxPlayers} players.");
        }

        var lobby = await _session.RegisteredRequestAsync(
            StunMethods.Host,
            (ref StunMessageWriter writer) =>
            {
                writer.AppendString(StunAttributeType.LobbyName, name, ProtocolLimits.MaxLobbyNameBytes);
                writer.AppendUInt32(StunAttributeType.MaxPlayers, (uint)maxPlayers);
            },
            ReadLobby,
            cancellationToken);
        _session.Lobby = new HeldLobby(lobby.Code, name, maxPlayers);
        return lobby;
    }

    /// <summary>Joins by code; introductions to every member follow as <see cref="PeerConnected"/> events.</summary>
    public async Task<LobbyInfo> JoinAsync(string lobbyCode, CancellationToken cancellationToken = default)
    {
        if (!Protocol.Control.LobbyCode.TryNormalize(lobbyCode, out var code))
        {
            throw new MatchmakerException(ProtocolErrors.LobbyNotFound, $"'{lobbyCode}' is not a lobby code: codes are {Protocol.Control.LobbyCode.Length} characters from {Protocol.Control.LobbyCode.Alphabet}.");
        }

        var lobby = await _session.RegisteredRequestAsync(
            StunMethods.Join,
            (ref StunMessageWriter writer) => writer.AppendString(StunAttributeType.LobbyCode, code, 32),
            ReadLobby,
            cancellationToken);
        _session.Lobby = new HeldLobby(lobby.Code, null, 0);
        return lobby;
    }

    /// <summary>
    /// Enqueues for a match of <paramref name="size"/> players of <paramref name="mode"/>, in
    /// <paramref name="region"/> if given (players who wait long are matched across regions). Returns once
    /// the ticket is queued; the match arrives as <see cref="QueueMatched"/>, then <see cref="PeerConnected"/>
    /// for every other player. Queue matches are always direct, never relayed. Queuing again replaces the ticket.
    /// </summary>
    public async Task QueueAsync(string mode, int size = 2, string? region = null, CancellationToken cancellationToken = default)
    {
        if (!QueueNames.IsValid(mode) || (region is not null && !QueueNames.IsValid(region)))
        {
            throw new ArgumentException($"Mode and region are 1–{QueueNames.MaxLength} characters of a-z, 0-9, '-', '_' and '.'.");
        }

        if (size is < ProtocolLimits.MinPlayers or > ProtocolLimits.MaxPlayers)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"A match holds {ProtocolLimits.MinPlayers} to {ProtocolLimits.MaxPlayers} players.");
        }

        // Queued before asking: the match may be pushed before the answer to this request arrives.
        lock (_queueGate)
        {
            _queued = true;
            _earlyIntroductions.Clear();
        }

        _session.Lobby = null;
        try
        {
            await _session.RegisteredRequestAsync(
                StunMethods.Queue,
                (ref StunMessageWriter writer) =>
                {
                    writer.AppendString(StunAttributeType.QueueMode, mode, QueueNames.MaxLength);
                    writer.AppendUInt32(StunAttributeType.QueueSize, (uint)size);
                    if (region is not null)
                    {
                        writer.AppendString(StunAttributeType.QueueRegion, region, QueueNames.MaxLength);
                    }
                },
                _ => true,
                cancellationToken);
        }
        catch
        {
            lock (_queueGate)
            {
                _queued = false;
            }

            throw;
        }
    }

    /// <summary>Withdraws the queued ticket (a match already formed is not undone: leave its lobby instead).</summary>
    public async Task LeaveQueueAsync(CancellationToken cancellationToken = default)
    {
        lock (_queueGate)
        {
            _queued = false;
            _earlyIntroductions.Clear();
        }

        await _session.RequestAsync(StunMethods.QueueLeave, (ref StunMessageWriter _) => { }, _ => true, cancellationToken);
    }

    public Task<IReadOnlyList<LobbyInfo>> ListLobbiesAsync(CancellationToken cancellationToken = default) =>
        _session.RequestAsync(StunMethods.List, (ref StunMessageWriter _) => { }, ReadLobbies, cancellationToken);

    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        await _session.RequestAsync(StunMethods.Leave, (ref StunMessageWriter _) => { }, _ => true, cancellationToken);
        _session.Lobby = null;
    }

    /// <summary>Sends one datagram to every connected peer.</summary>
    public void Broadcast(ReadOnlySpan<byte> data)
    {
        foreach (var peer in Peers)
        {
            peer.Send(data);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _peers.CloseAll();
        // A report for a punch that ended a moment ago is still worth delivering: wait a little, not for the full request timeout.
        await Task.WhenAll(PendingReports()).WaitAsync(ReportGrace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (LobbyCode is not null || IsQueued)
        {
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                if (IsQueued)
                {
                    await LeaveQueueAsync(quick.Token);
                }

                if (LobbyCode is not null)
                {
                    await LeaveAsync(quick.Token);
                }
            }
            catch (Exception exception) when (exception is MatchmakerException or OperationCanceledException or TimeoutException)
            {
                // Best effort: if the gateway is gone the lobby ends when our registration expires.
            }
        }

        await _stopping.CancelAsync();
        await _background.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(PendingReports()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _reachability.DisposeAsync();
        await _transport.DisposeAsync();
        _events.Writer.TryComplete();
        _stopping.Dispose();
    }

    private async Task ClassifyAsync(CancellationToken cancellationToken)
    {
        Nat = await new NatClassifier(_transport, _options.Server, _options.NatProbeTimeout, _options.RequestTimeout).ClassifyAsync(cancellationToken);
        _session.Capabilities = Nat.Capabilities;
    }

    /// <summary>
    /// IPv6, UPnP and open port are measured or declared here, never taken from the capability flags alone:
    /// a flag without its endpoint would plan a path nobody can use. Restated to the cluster at once.
    /// </summary>
    private async Task LearnReachabilityAsync(CancellationToken cancellationToken)
    {
        await _reachability.LearnAsync(_session.PublicEndPoint, _session.GatewayIpv6, cancellationToken);
        var registered = _session.Capabilities;
        var ipv6 = _reachability.Ipv6EndPoint;
        var listen = _reachability.ListenEndPoint;
        var declared = _options.Capabilities;
        var mapping = Nat?.Mapping ?? declared.Mapping;
        var filtering = Nat?.Filtering ?? declared.Filtering;
        Nat = new NatReport(Nat?.Mapped ?? _session.PublicEndPoint!, mapping, filtering, ipv6 is not null, _reachability.UpnpMapping is not null, listen is not null && _reachability.UpnpMapping is null)
        {
            Ipv6EndPoint = ipv6,
            ListenEndPoint = listen,
            UpnpError = _reachability.UpnpError,
        };
        _session.Capabilities = Nat.Capabilities;
        _session.Ipv6EndPoint = ipv6;
        _session.ListenEndPoint = listen;
        if (ipv6 is not null || listen is not null || Nat.Capabilities != registered)
        {
            await _session.HeartbeatAsync(cancellationToken);
        }
    }

    private void Publish(MatchmakerEvent @event) => _events.Writer.TryWrite(@event);

    /// <summary>Called under the peer manager's lock: starts the report and returns at once.</summary>
    private void OnPunchEnded(IntroductionMessage introduction, PunchOutcome outcome, TimeSpan elapsed)
    {
        if (!_options.ReportPunchOutcomes || _stopping.IsCancellationRequested)
        {
            return;
        }

        var report = new PunchReportMessage(introduction.IntroductionId, introduction.Method, _session.Capabilities, introduction.PeerCapabilities, outcome, elapsed);
        var sending = Task.Run(() => SendReportAsync(report));
        lock (_reports)
        {
            _reports.Add(sending);
        }

        sending.ContinueWith(
            done =>
            {
                lock (_reports)
                {
                    _reports.Remove(done);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private Task[] PendingReports()
    {
        lock (_reports)
        {
            return [.. _reports];
        }
    }

    private async Task SendReportAsync(PunchReportMessage report)
    {
        try
        {
            await _session.RequestAsync(StunMethods.PunchReport, report.Write, _ => true, _stopping.Token);
            Interlocked.Increment(ref _punchReportsSent);
        }
        catch (Exception exception) when (exception is MatchmakerException or OperationCanceledException)
        {
            // Metrics are best effort: a lost report must never disturb the game.
            Interlocked.Increment(ref _punchReportsFailed);
        }
    }

    private void OnInbound(StunMessage message, SocketAddress source)
    {
        var method = message.Type.Method;
        if (StunMethods.IsPeer(method))
        {
            _peers.OnPeerMessage(message, source);
            return;
        }

        if (StunMethods.IsRelay(method) && message.Type.Class is StunClass.SuccessResponse or StunClass.ErrorResponse)
        {
            _peers.OnRelayBindAnswer(message, source);
            return;
        }

        if (message.Type.Class != StunClass.Request || !StunMethods.IsPush(method) || !_session.IsSignedByGateway(message))
        {
            return;
        }

        // Acknowledge every copy (the first ack may be lost), but act on a push only once.
        Span<byte> ack = stackalloc byte[64];
        var writer = new StunMessageWriter(ack, message.Type.WithClass(StunClass.SuccessResponse), message.TransactionId);
        writer.AppendFingerprint();
        _transport.Send(writer.Written, source);
        if (!RememberPush(message.TransactionId))
        {
            return;
        }

        if (method == StunMethods.Introduction && IntroductionMessage.TryRead(message, _session.Key, out var introduction))
        {
            if (!HoldUntilMatched(introduction))
            {
                _peers.Introduce(introduction);
            }
        }
        else if (method == StunMethods.Matched && MatchedMessage.TryRead(message, out var matched))
        {
            OnMatched(matched);
        }
        else if (method == StunMethods.RelayLost && message.TryGetGuid(StunAttributeType.IntroductionId, out var lostIntroduction))
        {
            _peers.OnRelayLost(lostIntroduction);
        }
        else if (method == StunMethods.LobbyClosed && message.TryGetString(StunAttributeType.LobbyCode, 32, out var code))
        {
            message.TryGetString(StunAttributeType.Reason, 64, out var reason);
            if (_session.Lobby is { } held && held.Code == code)
            {
                _session.Lobby = null;
            }

            Publish(new LobbyClosed(code, reason));
        }
    }

    /// <summary>
    /// Pushes travel separately and may overtake each other: an introduction that arrives while queued,
    /// before its Matched, waits for it so <see cref="QueueMatched"/> always comes before the connections.
    /// </summary>
    private bool HoldUntilMatched(IntroductionMessage introduction)
    {
        lock (_queueGate)
        {
            if (!_queued)
            {
                return false;
            }

            if (_earlyIntroductions.Count < ProtocolLimits.MaxPlayers)
            {
                _earlyIntroductions.Add(introduction);
            }

            return true;
        }
    }

    private void OnMatched(MatchedMessage matched)
    {
        List<IntroductionMessage> held;
        lock (_queueGate)
        {
            _queued = false;
            // Restated as a member by every heartbeat; a match lobby has no hosted name to reopen it by.
            _session.Lobby = new HeldLobby(matched.LobbyCode, null, matched.Players.Length);
            held = _earlyIntroductions.Where(i => i.LobbyCode == matched.LobbyCode).ToList();
            _earlyIntroductions.Clear();
        }

        Publish(new QueueMatched(matched.LobbyCode, matched.Players));
        foreach (var introduction in held)
        {
            _peers.Introduce(introduction);
        }
    }

    private bool RememberPush(ReadOnlySpan<byte> transactionId)
    {
        lock (_acknowledgedPushes)
        {
            if (_acknowledgedPushes.Count > 1024)
            {
                _acknowledgedPushes.Clear();
            }

            return _acknowledgedPushes.Add(TransactionKey.From(transactionId));
        }
    }

    private async Task HeartbeatLoopAsync()
    {
        var token = _stopping.Token;
        var unanswered = false;
        while (!token.IsCancellationRequested)
        {
            try
            {
                // After a heartbeat nobody answered, the next goes out at once: its own retransmission backoff
                // paces it, and a restarted gateway hears from the player within one backoff step rather than
                // a whole interval later — the registration only survives a few missed beats.
                if (!unanswered)
                {
                    await Task.Delay(_session.HeartbeatInterval, _options.TimeProvider, token);
                }

                await _session.HeartbeatAsync(token);
                Interlocked.Increment(ref _heartbeatsAnswered);
                unanswered = false;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (MatchmakerException exception)
            {
                // Unreachable this round (retry at once), or refused (wait an interval as usual).
                unanswered = exception.Error == ProtocolErrors.Unavailable;
            }
        }
    }

    private async Task TickLoopAsync()
    {
        using var timer = new PeriodicTimer(TickInterval, _options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                _peers.Tick();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private static LobbyInfo ReadLobby(StunMessage response) =>
        response.TryGetAttribute(StunAttributeType.LobbyEntry, out ReadOnlySpan<byte> value) && LobbyEntryAttribute.TryRead(value, out var lobby)
            ? lobby
            : throw new MatchmakerException(ProtocolErrors.ServerError, "The gateway's answer named no lobby.");

    private static IReadOnlyList<LobbyInfo> ReadLobbies(StunMessage response)
    {
        var lobbies = new List<LobbyInfo>();
        foreach (var attribute in response.Attributes)
        {
            if (attribute.Type == StunAttributeType.LobbyEntry && LobbyEntryAttribute.TryRead(attribute.Value, out var lobby))
            {
                lobbies.Add(lobby);
            }
        }

        return lobbies;
    }
}
