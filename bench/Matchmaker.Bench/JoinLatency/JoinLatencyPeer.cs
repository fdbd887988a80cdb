using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Matchmaker.Client;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;

namespace Matchmaker.Bench.JoinLatency;

/// <summary>
/// <c>join-latency-peer --role host|join --server IP:PORT [--port N --open-port N] [--no-upnp]</c>: one side of the join-latency benchmark,
/// run inside a lab host's namespace, driven line by line on stdin by <see cref="JoinLatencyCommand"/> so
/// one process does every iteration. Every iteration uses a fresh client and socket, so every punch
/// opens fresh NAT mappings; the NAT is classified once, by the first client, and declared afterwards.
/// </summary>
/// <remarks>
/// Protocol (stdin → stdout): at start, <c>ready RTT_US</c> (median Binding round trip to the gateway).
/// Host: <c>host</c> → <c>lobby CODE</c>, later <c>connected METHOD</c>; join: <c>join CODE</c> →
/// <c>connected METHOD MICROSECONDS</c> (from calling join to the connected event) or <c>failed REASON</c>.
/// Both: <c>close</c> → <c>closed</c> (the client is disposed: goodbye and leave); end of input ends the process.
/// </remarks>
internal static class JoinLatencyPeer
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var role, out var network))
        {
            Console.Error.WriteLine("usage: join-latency-peer --role host|join --server IP:PORT [--port N --open-port N] [--no-upnp]");
            return 2;
        }

        var server = network.Server;
        var rtt = MeasureBindingRtt(server, 50);
        var first = await MatchmakerClient.ConnectAsync(network.ToOptions());
        var capabilities = first.Nat!.Capabilities;
        await first.DisposeAsync();
        Console.WriteLine(FormattableString.Invariant($"ready {rtt.TotalMicroseconds:F0}"));

        MatchmakerClient? client = null;
        Task<string>? hostConnected = null;
        try
        {
            while (await Console.In.ReadLineAsync() is { } line)
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                switch (words)
                {
                    case ["host"] when role == "host":
                        client = await NewClientAsync(network, capabilities);
                        var lobby = await client.HostAsync("bench", maxPlayers: 2);
                        Console.WriteLine($"lobby {lobby.Code}");
                        hostConnected = NextConnectedAsync(client).ContinueWith(
                            t => t.IsCompletedSuccessfully ? $"connected {t.Result.Method.ToWireName()}" : $"failed {t.Exception?.InnerException?.Message ?? "timeout"}",
                            TaskScheduler.Default);
                        _ = hostConnected.ContinueWith(t => Console.WriteLine(t.Result), TaskScheduler.Default);
                        break;
                    case ["join", var code] when role == "join":
                        client = await NewClientAsync(network, capabilities);
                        Console.WriteLine(await JoinAsync(client, code));
                        break;
                    case ["close"]:
                        if (hostConnected is not null)
                        {
                            await hostConnected.WaitAsync(StepTimeout);
                            hostConnected = null;
                        }

                        if (client is not null)
                        {
                            await client.DisposeAsync();
                            client = null;
                        }

                        Console.WriteLine("closed");
                        break;
                    default:
                        Console.WriteLine($"failed unknown-command {line}");
                        break;
                }
            }
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }

        return 0;
    }

    /// <summary>A fresh client on the same network options (local port, open port, UPnP) with the NAT already classified.</summary>
    private static Task<MatchmakerClient> NewClientAsync(PeerNetwork network, NatCapabilities capabilities) =>
        MatchmakerClient.ConnectAsync(network.ToOptions(capabilities));

    private static async Task<string> JoinAsync(MatchmakerClient client, string code)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await client.JoinAsync(code);
            var connected = await NextConnectedAsync(client);
            var elapsed = Stopwatch.GetElapsedTime(start);
            return FormattableString.Invariant($"connected {connected.Method.ToWireName()} {elapsed.TotalMicroseconds:F0}");
        }
        catch (Exception exception) when (exception is MatchmakerException or TimeoutException or InvalidOperationException)
        {
            return $"failed {exception.Message.Replace('\n', ' ')}";
        }
    }

    private static async Task<PeerConnection> NextConnectedAsync(MatchmakerClient client)
    {
        using var cts = new CancellationTokenSource(StepTimeout);
        try
        {
            while (true)
            {
                switch (await client.Events.ReadAsync(cts.Token))
                {
                    case PeerConnected connected:
                        return connected.Peer;
                    case PeerConnectFailed failed:
                        throw new InvalidOperationException(failed.Reason);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no connected event");
        }
    }

    /// <summary>Median of sequential Binding round trips from a fresh socket: the lab's RTT to the gateway.</summary>
    private static TimeSpan MeasureBindingRtt(IPEndPoint server, int samples)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
        socket.Connect(server);
        var request = new byte[20];
        var response = new byte[1500];
        var rtts = new List<TimeSpan>(samples);
        for (var i = 0; i < samples; i++)
        {
            var writer = new StunMessageWriter(request, new StunMessageType(StunMethods.Binding, StunClass.Request), RandomNumberGenerator.GetBytes(StunHeader.TransactionIdLength));
            var start = Stopwatch.GetTimestamp();
            socket.Send(writer.Written);
            try
            {
                socket.Receive(response);
                rtts.Add(Stopwatch.GetElapsedTime(start));
            }
            catch (SocketException)
            {
                // A lost request is not a round trip; the median is taken over the answered ones.
            }
        }

        rtts.Sort();
        return rtts.Count == 0 ? TimeSpan.Zero : rtts[rtts.Count / 2];
    }

    private static bool TryParse(string[] args, out string role, out PeerNetwork network)
    {
        role = "";
        network = null!;
        IPEndPoint? server = null;
        var port = 0;
        int? openPort = null;
        var upnp = true;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--no-upnp":
                    upnp = false;
                    continue;
                case "--role":
                    role = value;
                    break;
                case "--server" when IPEndPoint.TryParse(value, out var parsed):
                    server = parsed;
                    break;
                case "--port" when int.TryParse(value, CultureInfo.InvariantCulture, out var local) && local is >= 0 and <= 65535:
                    port = local;
                    break;
                case "--open-port" when int.TryParse(value, CultureInfo.InvariantCulture, out var open) && open is > 0 and <= 65535:
                    openPort = open;
                    break;
                default:
                    return false;
            }

            i++;
        }

        if (role is not ("host" or "join") || server is null)
        {
            return false;
        }

        network = new PeerNetwork(server, port, openPort, upnp);
        return true;
    }
}
