using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Bench.Soak;

/// <summary>
/// Simulated players speaking the real wire protocol over real UDP to a real gateway: each registers
/// (cookie round trip), heartbeats at the interval the cluster asks for, and pairs churn lobbies (host
/// opens, partner joins by code, both leave, again). Pushes (introductions, lobby closed) are
/// acknowledged as the SDK does. Players share sockets, 40 to a loopback address in 127.1.0.0/16, so
/// per-address limits see a realistic spread. Every request is retransmitted on RFC 8489's schedule;
/// one still unanswered after that, or answered with an error, is counted by kind.
/// </summary>
public sealed class SoakRunner(SoakOptions options)
{
    private const int PlayersPerAddress = 40;
    private static readonly TimeSpan InitialRto = TimeSpan.FromMilliseconds(500);
    private const int Attempts = 4;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    private readonly ConcurrentDictionary<TransactionKey, TaskCompletionSource<byte[]>> _pending = new();
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private readonly List<Socket> _sockets = [];
    private long _requests;
    private long _lobbies;
    private int _registered;

    public async Task<SoakResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var addresses = (options.Players + PlayersPerAddress - 1) / PlayersPerAddress;
        for (var i = 0; i < addresses; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
            socket.Bind(new IPEndPoint(new IPAddress([127, 1, (byte)(i / 250), (byte)((i % 250) + 1)]), 0));
            _sockets.Add(socket);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receivers = _sockets.Select(s => Task.Run(() => ReceiveLoopAsync(s, stop.Token), CancellationToken.None)).ToList();
        var clock = Stopwatch.StartNew();
        var deadline = options.Duration;
        var samples = new List<SoakSample>();
        SoakSample? baseline = null;
        var pairs = Enumerable.Range(0, options.Players / 2).Select(i => RunPairAsync(i, deadline, clock, stop.Token)).ToList();
        while (clock.Elapsed < deadline)
        {
            var wait = options.SampleInterval < deadline - clock.Elapsed ? options.SampleInterval : deadline - clock.Elapsed;
            await Task.Delay(wait, cancellationToken);
            var sample = new SoakSample(
                Math.Round(clock.Elapsed.TotalSeconds, 1), ProcessRss(options.ProcessId), await LiveHeapAsync(cancellationToken), Interlocked.Read(ref _requests),
                _errors.Values.Sum(), Interlocked.Read(ref _lobbies), Volatile.Read(ref _registered));
            samples.Add(sample);
            if (baseline is null && clock.Elapsed >= options.Ramp + options.LobbyLifetime)
            {
                baseline = sample;
            }
        }

        await Task.WhenAll(pairs);
        await stop.CancelAsync();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(receivers);
        return new SoakResult(options.Players, clock.Elapsed.TotalSeconds, samples, new Dictionary<string, long>(_errors)) { Baseline = baseline };
    }

    private async Task RunPairAsync(int pair, TimeSpan deadline, Stopwatch clock, CancellationToken cancellationToken)
    {
        var random = new Random(pair);
        await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * options.Ramp.TotalMilliseconds), cancellationToken);
        var host = await RegisterAsync(SocketFor(2 * pair), cancellationToken);
        var partner = await RegisterAsync(SocketFor((2 * pair) + 1), cancellationToken);
        if (host is null || partner is null)
        {
            return;
        }

        var heartbeats = Task.WhenAll(HeartbeatLoopAsync(host, deadline, clock, cancellationToken), HeartbeatLoopAsync(partner, deadline, clock, cancellationToken));
        while (clock.Elapsed + options.LobbyLifetime < deadline)
        {
            var hosted = await RequestAsync(host, StunMethods.Host, (ref StunMessageWriter w) =>
            {
                w.AppendString(StunAttributeType.LobbyName, "soak", ProtocolLimits.MaxLobbyNameBytes);
                w.AppendUInt32(StunAttributeType.MaxPlayers, 2);
            }, cancellationToken);
            if (hosted is null || !TryReadLobbyCode(hosted, out var code))
            {
                break;
            }

            Interlocked.Increment(ref _lobbies);
            await RequestAsync(partner, StunMethods.Join, (ref StunMessageWriter w) => w.AppendString(StunAttributeType.LobbyCode, code, 32), cancellationToken);
            await Task.Delay(options.LobbyLifetime * (1 + (random.NextDouble() / 2)), cancellationToken);
            await RequestAsync(partner, StunMethods.Leave, static (ref StunMessageWriter _) => { }, cancellationToken);
            await RequestAsync(host, StunMethods.Leave, static (ref StunMessageWriter _) => { }, cancellationToken);
        }

        await heartbeats;
    }

    private async Task HeartbeatLoopAsync(SoakPlayer player, TimeSpan deadline, Stopwatch clock, CancellationToken cancellationToken)
    {
        while (clock.Elapsed + player.HeartbeatInterval < deadline)
        {
            await Task.Delay(player.HeartbeatInterval, cancellationToken);
            var reply = await RequestAsync(player, StunMethods.Heartbeat, static (ref StunMessageWriter _) => { }, cancellationToken);
            if (reply is not null && TryReadHeartbeatInterval(reply, out var interval))
            {
                player.HeartbeatInterval = interval;
            }
        }
    }

    private Socket SocketFor(int player) => _sockets[player / PlayersPerAddress];

    /// <summary>Cookie challenge, then Register echoing it: the SDK's two steps.</summary>
    private async Task<SoakPlayer?> RegisterAsync(Socket socket, CancellationToken cancellationToken)
    {
        var challenge = await ExchangeAsync(socket, Build(StunMethods.Register, static (ref StunMessageWriter w) => w.AppendPaddingTo(ProtocolLimits.RegisterPaddedLength)), "register", expectError: true, cancellationToken);
        if (challenge is null || !TryReadAttribute(challenge, StunAttributeType.Nonce, out var cookie))
        {
            return null;
        }

        var registered = await ExchangeAsync(socket, Build(StunMethods.Register, (ref StunMessageWriter w) => w.Append(StunAttributeType.Nonce, cookie)), "register", expectError: false, cancellationToken);
        if (registered is null || !TryReadRegistration(registered, out var player))
        {
            Count("register-unreadable");
            return null;
        }

        player.Socket = socket;
        Interlocked.Increment(ref _registered);
        return player;
    }

    private delegate void Body(ref StunMessageWriter writer);

    private Task<byte[]?> RequestAsync(SoakPlayer player, ushort method, Body body, CancellationToken cancellationToken)
    {
        var request = Build(method, (ref StunMessageWriter w) =>
        {
            w.AppendGuid(StunAttributeType.PlayerId, player.Id);
            body(ref w);
            w.AppendMessageIntegritySha256(player.Key);
            w.AppendFingerprint();
        });
        return ExchangeAsync(player.Socket!, request, PacketName(method), expectError: false, cancellationToken);
    }

    private async Task<byte[]?> ExchangeAsync(Socket socket, byte[] request, string name, bool expectError, CancellationToken cancellationToken)
    {
        var key = TransactionKey.From(request.AsSpan(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength));
        var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[key] = answer;
        Interlocked.Increment(ref _requests);
        try
        {
            var rto = InitialRto;
            for (var attempt = 0; attempt < Attempts; attempt++, rto *= 2)
            {
                await socket.SendToAsync(request, SocketFlags.None, options.Server, cancellationToken);
                try
                {
                    var reply = await answer.Task.WaitAsync(rto, cancellationToken);
                    var error = ErrorOf(reply);
                    if ((error is not null) != expectError)
                    {
                        Count($"{name}:{error ?? "unexpected-success"}");
                        return null;
                    }

                    return reply;
                }
                catch (TimeoutException)
                {
                    // Retransmit: RFC 8489 §6.2.1.
                }
            }

            Count($"{name}:timeout");
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        var from = new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from, cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Dispatch(socket, buffer.AsSpan(0, received.ReceivedBytes), received.RemoteEndPoint);
        }
    }

    private void Dispatch(Socket socket, ReadOnlySpan<byte> datagram, EndPoint from)
    {
        if (StunMessage.TryParse(datagram, out var message) != StunParseStatus.Ok)
        {
            Count("malformed-reply");
            return;
        }

        if (message.Type.Class == StunClass.Request && message.Type.Method is StunMethods.Introduction or StunMethods.LobbyClosed)
        {
            // Acknowledge a push as the SDK does, or the gateway retransmits it.
            Span<byte> ack = stackalloc byte[64];
            var writer = new StunMessageWriter(ack, message.Type.WithClass(StunClass.SuccessResponse), message.TransactionId);
            writer.AppendFingerprint();
            socket.SendTo(writer.Written, SocketFlags.None, from);
            return;
        }

        if (_pending.TryGetValue(TransactionKey.From(message.TransactionId), out var waiting))
        {
            waiting.TrySetResult(datagram.ToArray());
        }
    }

    private void Count(string kind) => _errors.AddOrUpdate(kind, 1, static (_, n) => n + 1);

    private static byte[] Build(ushort method, Body body)
    {
        var buffer = new byte[ProtocolLimits.MaxDatagram];
        var writer = new StunMessageWriter(buffer, new StunMessageType(method, StunClass.Request), RandomNumberGenerator.GetBytes(StunHeader.TransactionIdLength));
        body(ref writer);
        return buffer[..writer.Length];
    }

    private static string? ErrorOf(byte[] reply)
    {
        if (StunMessage.TryParse(reply, out var message) != StunParseStatus.Ok)
        {
            return "malformed";
        }

        if (message.Type.Class != StunClass.ErrorResponse)
        {
            return null;
        }

        return message.TryGetErrorCode(out var code, out var reason) ? ProtocolErrors.FromWire(code, reason).Slug : "error";
    }

    private static bool TryReadAttribute(byte[] reply, ushort type, out byte[] value)
    {
        value = [];
        if (StunMessage.TryParse(reply, out var message) != StunParseStatus.Ok || !message.TryGetAttribute(type, out ReadOnlySpan<byte> span))
        {
            return false;
        }

        value = span.ToArray();
        return true;
    }

    private static bool TryReadRegistration(byte[] reply, out SoakPlayer player)
    {
        player = null!;
        if (StunMessage.TryParse(reply, out var message) != StunParseStatus.Ok
            || !message.TryGetGuid(StunAttributeType.PlayerId, out var id)
            || !message.TryGetAttribute(StunAttributeType.PlayerKey, out ReadOnlySpan<byte> key)
            || !message.HasValidMessageIntegritySha256(key))
        {
            return false;
        }

        player = new SoakPlayer(id, key.ToArray());
        if (message.TryGetUInt32(StunAttributeType.HeartbeatInterval, out var ms) && ms > 0)
        {
            player.HeartbeatInterval = TimeSpan.FromMilliseconds(ms);
        }

        return true;
    }

    private static bool TryReadHeartbeatInterval(byte[] reply, out TimeSpan interval)
    {
        interval = default;
        if (StunMessage.TryParse(reply, out var message) != StunParseStatus.Ok || !message.TryGetUInt32(StunAttributeType.HeartbeatInterval, out var ms) || ms == 0)
        {
            return false;
        }

        interval = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    private static bool TryReadLobbyCode(byte[] reply, out string code)
    {
        code = "";
        if (StunMessage.TryParse(reply, out var message) != StunParseStatus.Ok || !message.TryGetAttribute(StunAttributeType.LobbyEntry, out ReadOnlySpan<byte> entry)
            || !LobbyEntryAttribute.TryRead(entry, out var lobby))
        {
            return false;
        }

        code = lobby.Code;
        return true;
    }

    private static string PacketName(ushort method) => method switch
    {
        StunMethods.Heartbeat => "heartbeat",
        StunMethods.Host => "host",
        StunMethods.Join => "join",
        StunMethods.Leave => "leave",
        _ => $"0x{method:x3}",
    };

    /// <summary>The silo's live heap after a full collection this tool induces; 0 without <c>--metrics</c>, -1 when it timed out.</summary>
    private Task<long> LiveHeapAsync(CancellationToken cancellationToken) =>
        options.Metrics is null ? Task.FromResult(0L) : new LiveHeapProbe(options.ProcessId, options.Metrics, Http).MeasureAsync(cancellationToken);

    /// <summary>Resident set size from /proc: what the process really holds, GC heap and native alike.</summary>
    private static long ProcessRss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
