using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Matchmaker.Bench.Load;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Bench.Relay;

/// <summary>
/// <c>relay-load</c>: the flow <c>turnutils_uclient</c> drives through coturn, through a Matchmaker relay:
/// M sessions, each sending N messages of L bytes every Z ms from its client socket through the relay
/// to a peer socket that echoes them back through the relay. Reports round trips, loss, relayed
/// packets per second (two per round trip) and the round-trip time the relay path adds.
/// </summary>
internal static class RelayLoadCommand
{
    public static int Run(string[] args)
    {
        var options = Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: relay-load --relay 127.0.0.1:P --secret-file FILE [--sessions 50] [--messages 2000] [--interval-ms 1] [--length 100]");
            return 2;
        }

        var secret = Convert.FromBase64String(File.ReadAllText(options.SecretFile).Trim());
        var sessions = Enumerable.Range(0, options.Sessions).Select(_ => Session.Open(options.Relay, secret)).ToArray();
        try
        {
            var rtt = new LatencyHistogram();
            var received = 0L;
            var expected = (long)options.Sessions * options.Messages;
            using var done = new ManualResetEventSlim();
            using var stopping = new CancellationTokenSource();

            // Two threads serve every socket (one echoes at the peers, one times at the clients), so the
            // generator's own scheduling stays small next to the relay's on a 2-core machine.
            var echo = Start(() => Serve(sessions.ToDictionary(s => s.Peer), session => session.EchoOne(), stopping.Token));
            var collect = Start(() => Serve(sessions.ToDictionary(s => s.Client), session =>
            {
                session.CollectOne(rtt);
                if (Interlocked.Increment(ref received) == expected)
                {
                    done.Set();
                }
            }, stopping.Token));

            var start = Stopwatch.GetTimestamp();
            var frame = new byte[RelayFrame.HeaderLength + Math.Max(16, options.Length)];
            for (var round = 0; round < options.Messages; round++)
            {
                foreach (var session in sessions)
                {
                    session.Send(frame);
                }

                if (options.IntervalMs > 0)
                {
                    Thread.Sleep(options.IntervalMs);
                }
            }

            var sent = Stopwatch.GetElapsedTime(start);
            done.Wait(TimeSpan.FromSeconds(3));
            var elapsed = Stopwatch.GetElapsedTime(start);
            stopping.Cancel();
            echo.Join();
            collect.Join();
            var got = Interlocked.Read(ref received);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sessions={options.Sessions} messages={options.Messages} length={options.Length} interval_ms={options.IntervalMs} sent={expected} echoed={got} loss_pct={100.0 * (expected - got) / expected:0.000} send_s={sent.TotalSeconds:0.000} relayed_pps={2 * got / sent.TotalSeconds:0} rtt_avg_us={rtt.Mean / 1000:0.0} rtt_p50_us={rtt.Percentile(0.50) / 1000:0.0} rtt_p99_us={rtt.Percentile(0.99) / 1000:0.0} elapsed_s={elapsed.TotalSeconds:0.000}"));
            return got > 0 ? 0 : 1;
        }
        finally
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }
        }
    }

    /// <summary>Waits on all sockets at once and hands each readable one to <paramref name="handle"/> until drained.</summary>
    private static void Serve(Dictionary<Socket, Session> sockets, Action<Session> handle, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var ready = sockets.Keys.ToList();
            Socket.Select(ready, null, null, 100_000);
            foreach (var socket in ready)
            {
                while (socket.Available > 0)
                {
                    handle(sockets[socket]);
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

    private static RelayLoadOptions? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        if (!values.TryGetValue("--relay", out var relay) || !IPEndPoint.TryParse(relay, out var endpoint) || !values.TryGetValue("--secret-file", out var secretFile))
        {
            return null;
        }

        int Int(string key, int fallback, int max) => Math.Clamp(values.TryGetValue(key, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback, 0, max);
        return new RelayLoadOptions(endpoint, secretFile, Math.Max(1, Int("--sessions", 50, 1000)), Math.Max(1, Int("--messages", 2000, 1_000_000)), Int("--interval-ms", 1, 1000), Math.Max(16, Int("--length", 100, 1100)));
    }

    private sealed record RelayLoadOptions(IPEndPoint Relay, string SecretFile, int Sessions, int Messages, int IntervalMs, int Length);

    /// <summary>One allocation: a client socket that sends and times, a peer socket that echoes.</summary>
    private sealed class Session : IDisposable
    {
        private readonly Socket _client;
        private readonly Socket _peer;
        private readonly EndPoint _relay;
        private readonly byte[] _echoBuffer = new byte[2048];
        private readonly byte[] _collectBuffer = new byte[2048];
        private uint _clientHandle;
        private uint _peerHandle;

        private Session(IPEndPoint relay)
        {
            _relay = relay;
            _client = Udp();
            _peer = Udp();
        }

        public static Session Open(IPEndPoint relay, byte[] secret)
        {
            var session = new Session(relay);
            var allocation = Guid.NewGuid();
            session._clientHandle = Bind(session._client, relay, secret, allocation, 0);
            session._peerHandle = Bind(session._peer, relay, secret, allocation, 1);
            return session;
        }

        public void Send(byte[] frame)
        {
            RelayFrame.WriteHeader(frame, _clientHandle);
            BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(RelayFrame.HeaderLength), Stopwatch.GetTimestamp());
            _client.SendTo(frame, _relay);
        }

        public Socket Client => _client;

        public Socket Peer => _peer;

        /// <summary>The peer: a frame goes straight back, under its own handle.</summary>
        public void EchoOne()
        {
            var length = _peer.Receive(_echoBuffer);
            RelayFrame.RewriteHandle(_echoBuffer, _peerHandle);
            _peer.SendTo(_echoBuffer.AsSpan(0, length), SocketFlags.None, _relay);
        }

        public void CollectOne(LatencyHistogram rtt)
        {
            _client.Receive(_collectBuffer);
            var sentAt = BinaryPrimitives.ReadInt64LittleEndian(_collectBuffer.AsSpan(RelayFrame.HeaderLength));
            rtt.Record((long)Stopwatch.GetElapsedTime(sentAt).TotalNanoseconds);
        }

        public void Dispose()
        {
            _client.Dispose();
            _peer.Dispose();
        }

        private static uint Bind(Socket socket, IPEndPoint relay, byte[] secret, Guid allocation, byte side)
        {
            var token = new RelayToken(allocation, side, (uint)DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), (ulong)Random.Shared.NextInt64()).ToArray();
            var request = new byte[256];
            var length = RelayBindMessages.WriteRequest(request, token, RelayToken.DeriveKey(secret, token), new byte[StunHeader.TransactionIdLength]);
            socket.ReceiveTimeout = 2000;
            socket.SendTo(request.AsSpan(0, length), SocketFlags.None, relay);
            var answer = new byte[512];
            var received = socket.Receive(answer);
            if (StunMessage.TryParse(answer.AsSpan(0, received), out var message) != StunParseStatus.Ok
                || !message.TryGetUInt32(StunAttributeType.RelayHandle, out var handle))
            {
                throw new InvalidOperationException("The relay did not accept the bind.");
            }

            socket.ReceiveTimeout = 0;
            return handle;
        }

        private static Socket Udp()
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20, SendBufferSize = 4 << 20 };
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return socket;
        }
    }
}
