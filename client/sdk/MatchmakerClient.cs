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

    private readonly MatchmakerClientOptions _options;
    private readonly ClientTransport _transport;
    private readonly ServerSession _session;
    private readonly PeerManager _peers;
    private readonly Channel<MatchmakerEvent> _events;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<TransactionKey> _acknowledgedPushes = [];
    private Task _background = Task.CompletedTask;
    private long _droppedEvents;

    private MatchmakerClient(MatchmakerClientOptions options)
    {
        _options = options;
        var local = options.LocalEndPoint
            ?? new IPEndPoint(options.Server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _transport = new ClientTransport(local, options.TimeProvider);
        _session = new ServerSession(_transport, options, LanEndpoints.Discover(_transport.LocalEndPoint));
        _events = Channel.CreateBounded<MatchmakerEvent>(
            new BoundedChannelOptions(options.EventCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = false },
            _ => Interlocked.Increment(ref _droppedEvents));
        _peers = new PeerManager(_transport, options, Publish);
    }

    public Guid PlayerId => _session.PlayerId;

    /// <summary>This socket's address as the gateway sees it (the NAT's public mapping).</summary>
    public IPEndPoint? PublicEndPoint => _session.PublicEndPoint;

    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

    /// <summary>The lobby this player hosts or joined, if any.</summary>
    public string? LobbyCode => _session.Lobby?.Code;

    public ChannelReader<MatchmakerEvent> Events => _events.Reader;

    public IReadOnlyList<PeerConnection> Peers => _peers.Connected;

    /// <summary>The NAT behaviour measured on connect, when <see cref="MatchmakerClientOptions.ClassifyNat"/> is on.</summary>
    public NatReport? Nat { get; private set; }

    /// <summary>Events lost because nobody read <see cref="Events"/> fast enough.</summary>
    public long DroppedEvents => Interlocked.Read(ref _droppedEvents);

    /// <summary>Peer packets refused for lack of valid proof (forged, expired or unsolicited).</summary>
    public long RejectedPeerPackets => _peers.RejectedPackets;

    /// <summary>Binds a socket, registers with the gateway and starts heartbeating.</summary>
    public static async Task<MatchmakerClient> ConnectAsync(MatchmakerClientOptions options, CancellationToken cancellationToken = default)
    {
        var client = new MatchmakerClient(options);
        try
        {
            client._transport.Start(client.OnInbound);
            try
            {
                if (options.ClassifyNat)
                {
                    await client.ClassifyAsync(cancellationToken);
                }

                await client._session.RegisterAsync(cancellationToken);
            }
            catch (TimeoutException timeout)
            {
                throw new MatchmakerException(ProtocolErrors.Unavailable, $"The gateway at {options.Server} did not answer: {timeout.Message}");
            }

            client._background = Task.WhenAll(client.HeartbeatLoopAsync(), client.TickLoopAsync());
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs RFC 5780 behaviour discovery from a fresh socket without registering (what <c>mm nat</c> does).</summary>
    public static async Task<NatReport> ProbeNatAsync(MatchmakerClientOptions options, CancellationToken cancellationToken = default)
    {
        var client = new MatchmakerClient(options);
        await using (client.ConfigureAwait(false))
        {
            client._transport.Start(client.OnInbound);
            await client.ClassifyAsync(cancellationToken);
            return client.Nat!;
        }
    }

    public async Task<LobbyInfo> HostAsync(string name, int maxPlayers = 8, CancellationToken cancellationToken = default)
    {
        if (maxPlayers is < ProtocolLimits.MinPlayers or > ProtocolLimits.MaxPlayers)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPlayers), maxPlayers, $"A lobby holds {ProtocolLimits.MinPlayers} to {ProtocolLimits.MaxPlayers} players.");
        }

        var lobby = await _session.RequestAsync(
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

        var lobby = await _session.RequestAsync(
            StunMethods.Join,
            (ref StunMessageWriter writer) => writer.AppendString(StunAttributeType.LobbyCode, code, 32),
            ReadLobby,
            cancellationToken);
        _session.Lobby = new HeldLobby(lobby.Code, null, 0);
        return lobby;
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
        if (LobbyCode is not null)
        {
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await LeaveAsync(quick.Token);
            }
            catch (Exception exception) when (exception is MatchmakerException or OperationCanceledException or TimeoutException)
            {
                // Best effort: if the gateway is gone the lobby ends when our registration expires.
            }
        }

        await _stopping.CancelAsync();
        await _background.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _transport.DisposeAsync();
        _events.Writer.TryComplete();
        _stopping.Dispose();
    }

    private async Task ClassifyAsync(CancellationToken cancellationToken)
    {
        var measured = await new NatClassifier(_transport, _options.Server, _options.NatProbeTimeout).ClassifyAsync(cancellationToken);
        var declared = _options.Capabilities;
        Nat = measured with { Ipv6 = declared.Ipv6, Upnp = declared.Upnp, OpenPort = declared.OpenPort };
        _session.Capabilities = Nat.Capabilities;
    }

    private void Publish(MatchmakerEvent @event) => _events.Writer.TryWrite(@event);

    private void OnInbound(StunMessage message, SocketAddress source)
    {
        var method = message.Type.Method;
        if (StunMethods.IsPeer(method))
        {
            _peers.OnPeerMessage(message, source);
            return;
        }

        if (message.Type.Class != StunClass.Request || method is not (StunMethods.Introduction or StunMethods.LobbyClosed) || !_session.IsSignedByGateway(message))
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
            _peers.Introduce(introduction);
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
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_session.HeartbeatInterval, _options.TimeProvider, token);
                await _session.HeartbeatAsync(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (MatchmakerException)
            {
                // The gateway is unreachable this round; the registration survives a few missed beats.
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
