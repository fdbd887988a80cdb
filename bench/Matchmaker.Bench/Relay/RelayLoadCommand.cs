using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Matchmaker.Bench.Load;

namespace Matchmaker.Bench.Relay;

/// <summary>
/// <c>relay-load</c>: the flow <c>turnutils_uclient</c> drives through coturn — M sessions, each a client
/// socket whose messages go through the relay to one echo socket and back through the relay (two relayed
/// packets per round trip) — against a Matchmaker relay (data frames) or, with <c>--turn</c>, any TURN
/// server (ChannelData), so both servers meet the same generator. Messages are offered open-loop at a set
/// rate, round-robin over the sessions; it reports what came back (relayed packets/s, loss) and round-trip
/// percentiles, all over the messages sent after the warm-up.
/// </summary>
/// <remarks>
/// Three threads: the sender, the echo (blocking on its one socket, as <c>turnutils_peer</c>), and the
/// collector waiting on every client socket at once. None allocates per message, so the generator's own
/// garbage collections cannot show up as the server's latency.
/// </remarks>
internal static class RelayLoadCommand
{
    private const int StampLength = 12;

    public static int Run(string[] args)
    {
        if (RelayLoadOptions.Parse(args) is not { } options)
        {
            Console.Error.WriteLine(RelayLoadOptions.Usage);
            return 2;
        }

        using var peer = Udp();
        var sessions = Open(options, peer);
        try
        {
            return Measure(options, peer, sessions);
        }
        finally
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }
        }
    }

    private static RelayLoadSession[] Open(RelayLoadOptions options, Socket peer)
    {
        if (options.IsTurn)
        {
            var turn = new TurnAllocator(options.Relay, options.TurnUser!, options.TurnPassword!);
            return [.. Enumerable.Range(0, options.Sessions).Select(_ => turn.Open(Udp(), (IPEndPoint)peer.LocalEndPoint!, options.Length))];
        }

        var secret = Convert.FromBase64String(File.ReadAllText(options.SecretFile!).Trim());
        var binder = new MatchmakerRelayBinder(options.Relay, secret);
        return [.. Enumerable.Range(0, options.Sessions).Select(_ => binder.Open(Udp(), peer))];
    }

    private static int Measure(RelayLoadOptions options, Socket peer, RelayLoadSession[] sessions)
    {
        var total = (long)options.Sessions * options.Messages;
        var warmup = options.Rate > 0 ? Math.Min(total / 2, (long)(options.Rate * options.WarmupMs / 1000)) : Math.Min(total / 10, options.Sessions * 10L);
        var measured = total - warmup;
        var rtt = new LatencyHistogram();
        var received = 0L;
        using var stopping = new CancellationTokenSource();
        var echo = Start(() => Echo(peer, stopping.Token));
        foreach (var session in sessions)
        {
            session.Client.Blocking = false;
        }

        var collect = Start(() => Collect(sessions, warmup, rtt, ref received, stopping.Token));
        var relay = options.Relay.Serialize();
        var sendErrors = 0L;

        var frames = sessions.Select(s => new byte[s.Header.Length + options.Length]).ToArray();
        for (var i = 0; i < sessions.Length; i++)
        {
            sessions[i].Header.CopyTo(frames[i], 0);
        }

        var start = Stopwatch.GetTimestamp();
        var measuredFrom = start;
        for (long sent = 0; sent < total;)
        {
            var due = options.Rate > 0 ? Math.Min(total, 1 + (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * options.Rate)) : total;
            for (; sent < due; sent++)
            {
                if (sent == warmup)
                {
                    measuredFrom = Stopwatch.GetTimestamp();
                }

                var index = (int)(sent % sessions.Length);
                var payload = frames[index].AsSpan(sessions[index].Header.Length);
                BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
                BinaryPrimitives.WriteInt32LittleEndian(payload[8..], (int)Math.Min(sent, int.MaxValue));
                try
                {
                    sessions[index].Client.SendTo(frames[index], SocketFlags.None, relay);
                }
                catch (SocketException)
                {
                    // A full send buffer on a non-blocking socket: the message counts as lost.
                    sendErrors++;
                }
            }

            if (sent < total)
            {
                Thread.Sleep(1);
            }
        }

        var sending = Stopwatch.GetElapsedTime(measuredFrom);

        // Whatever has not come back a second after the last send is lost (a round trip here is well under a millisecond).
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (Interlocked.Read(ref received) < measured && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(5);
        }

        stopping.Cancel();
        echo.Join();
        collect.Join();
        var got = Interlocked.Read(ref received);
        // What the generator really offered (it may fall short of --rate when it is itself the bottleneck).
        var offered = 2 * (measured - sendErrors) / sending.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"server={(options.IsTurn ? "turn" : "matchmaker")} sessions={options.Sessions} messages={options.Messages} length={options.Length} rate={options.Rate:0} sent={measured} echoed={got} loss_pct={100.0 * (measured - got) / measured:0.000} send_s={sending.TotalSeconds:0.000} offered_pps={offered:0} relayed_pps={2 * got / sending.TotalSeconds:0} rtt_avg_us={rtt.Mean / 1000:0.0} rtt_p50_us={rtt.Percentile(0.50) / 1000:0.0} rtt_p99_us={rtt.Percentile(0.99) / 1000:0.0} rtt_p999_us={rtt.Percentile(0.999) / 1000:0.0} warmup={warmup} send_errors={sendErrors}"));
        return got > 0 ? 0 : 1;
    }

    /// <summary>The peer: every datagram goes straight back to where it came from, unchanged (a relay frame already carries the peer's own handle).</summary>
    private static void Echo(Socket peer, CancellationToken stopping)
    {
        var buffer = GC.AllocateArray<byte>(2048, pinned: true);
        var source = new SocketAddress(peer.AddressFamily);

        // Woken every 100 ms to notice the end of the run; a timeout costs an exception only when idle.
        peer.ReceiveTimeout = 100;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var length = peer.ReceiveFrom(buffer, SocketFlags.None, source);
                peer.SendTo(buffer.AsSpan(0, length), SocketFlags.None, source);
            }
            catch (SocketException)
            {
                // The timeout, or an ICMP error from an earlier echo: serve on.
            }
        }
    }

    private static void Collect(RelayLoadSession[] sessions, long warmup, LatencyHistogram rtt, ref long received, CancellationToken stopping)
    {
        var bySocket = sessions.ToDictionary(s => s.Client);
        var ready = new List<Socket>(sessions.Length);
        var buffer = new byte[2048];
        while (!stopping.IsCancellationRequested)
        {
            ready.Clear();
            foreach (var session in sessions)
            {
                ready.Add(session.Client);
            }

            Socket.Select(ready, null, null, 100_000);
            foreach (var socket in ready)
            {
                var offset = bySocket[socket].Header.Length;
                while (socket.Receive(buffer, SocketFlags.None, out var error) is var length && error == SocketError.Success)
                {
                    if (length < offset + StampLength)
                    {
                        continue;
                    }

                    var stamp = buffer.AsSpan(offset);
                    if (BinaryPrimitives.ReadInt32LittleEndian(stamp[8..]) >= warmup)
                    {
                        rtt.Record((long)Stopwatch.GetElapsedTime(BinaryPrimitives.ReadInt64LittleEndian(stamp)).TotalNanoseconds);
                        Interlocked.Increment(ref received);
                    }
                }
            }
        }
    }

    private static Thread Start(Action body)
    {
        var thread = new Thread(() => body()) { IsBackground = true };
        thread.Start();
        return thread;
    }

    private static Socket Udp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20, SendBufferSize = 4 << 20 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
