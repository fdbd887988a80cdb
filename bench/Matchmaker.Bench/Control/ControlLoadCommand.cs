using System.Diagnostics;
using System.Globalization;
using System.Net;
using Matchmaker.Bench.Load;

namespace Matchmaker.Bench.Control;

/// <summary>
/// <c>control-load</c>: grain calls through a gateway, driven by real UDP. Registers N players (two
/// round trips each, the second reaching a player grain), then runs heartbeats or host+join pairs for a
/// fixed time, and prints operations per second, loss and latency percentiles for each phase.
/// <c>--watch-pids</c> names the server processes (Linux): their CPU time over the measured seconds, divided by
/// the operations completed, is printed as <c>server_cpu_us_per_op</c>, and this process's own as
/// <c>client_cpu_us_per_op</c>, since on one node the load generator competes with the server for the cores.
/// <c>--period-ms</c> paces heartbeats: each player heartbeats once per period, as real players do once per
/// interval (the offered rate is then players ÷ period). <c>--metrics-url</c> names the gateway's <c>/metrics</c>:
/// the heartbeats it forwarded to grains and those it answered under a renewal lease over the measured seconds
/// are printed, with the forwarded fraction.
/// </summary>
internal static class ControlLoadCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        IPEndPoint? target = null;
        int players = 10_000, sockets = 2, window = 64, seconds = 10, warmup = 1;
        var op = "heartbeat";
        var period = TimeSpan.Zero;
        Uri? metricsUrl = null;
        int[] watched = [];
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--target": target = IPEndPoint.Parse(value); break;
                case "--players": players = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--sockets": sockets = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--window": window = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--op": op = value; break;
                case "--period-ms": period = TimeSpan.FromMilliseconds(double.Parse(value, CultureInfo.InvariantCulture)); break;
                case "--metrics-url": metricsUrl = new Uri(value); break;
                case "--watch-pids": watched = [.. value.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))]; break;
                default:
                    Console.Error.WriteLine($"control-load: unknown option {args[i]}");
                    return 2;
            }
        }

        if (target is null || op is not ("heartbeat" or "join") || players < sockets * 2 || window is < 1 or > 4096)
        {
            Console.Error.WriteLine("control-load: --target HOST:PORT is required; --op heartbeat|join; --players ≥ 2 per socket; --window 1-4096");
            return 2;
        }

        var workers = Enumerable.Range(0, sockets)
            .Select(i => new ControlLoadWorker(target, (players / sockets) + (i < players % sockets ? 1 : 0), window, TimeSpan.FromSeconds(2), period > TimeSpan.Zero))
            .ToArray();
        try
        {
            var registerStart = Stopwatch.GetTimestamp();
            Parallel(workers, w => w.Register(registerStart + (600 * Stopwatch.Frequency)));
            Print("register", workers, Stopwatch.GetElapsedTime(registerStart).TotalSeconds, players, sockets, window);
            foreach (var worker in workers)
            {
                worker.Reset();
            }

            var measureStart = Stopwatch.GetTimestamp() + (warmup * Stopwatch.Frequency);
            var deadline = measureStart + (seconds * Stopwatch.Frequency);
            var threads = Start(workers, w =>
            {
                if (op == "join")
                {
                    w.Join(measureStart, deadline);
                }
                else
                {
                    w.Heartbeat(measureStart, deadline, period);
                }
            });

            // Sampled by the clock the workers measure with, so CPU and operations cover the same seconds.
            WaitUntil(measureStart);
            var serverBefore = CpuSeconds(watched);
            var clientBefore = Environment.CpuUsage.TotalTime.TotalSeconds;
            var heartbeatsBefore = metricsUrl is null ? default : GatewayHeartbeats.Read(metricsUrl);
            WaitUntil(deadline);
            var serverCpu = CpuSeconds(watched) - serverBefore;
            var clientCpu = Environment.CpuUsage.TotalTime.TotalSeconds - clientBefore;
            var heartbeatsAfter = metricsUrl is null ? default : GatewayHeartbeats.Read(metricsUrl);
            threads.ForEach(t => t.Join());
            Print(op, workers, seconds, players, sockets, window);
            var completed = Math.Max(1, workers.Sum(w => w.Completed));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"control-load cpu phase={op} server_cpu_s={serverCpu:F2} server_cpu_us_per_op={serverCpu * 1e6 / completed:F1} " +
                $"client_cpu_s={clientCpu:F2} client_cpu_us_per_op={clientCpu * 1e6 / completed:F1} watched={string.Join(',', watched)}"));
            if (metricsUrl is not null)
            {
                var forwarded = heartbeatsAfter.Forwarded - heartbeatsBefore.Forwarded;
                var leased = heartbeatsAfter.Leased - heartbeatsBefore.Leased;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"control-load leases phase={op} period_ms={period.TotalMilliseconds:F0} forwarded={forwarded} leased={leased} " +
                    $"forwarded_fraction={(forwarded + leased > 0 ? (double)forwarded / (forwarded + leased) : 0):F3}"));
            }

            return workers.Sum(w => w.Completed) > 0 ? 0 : 1;
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    private static void Parallel(ControlLoadWorker[] workers, Action<ControlLoadWorker> run) =>
        Start(workers, run).ForEach(t => t.Join());

    private static List<Thread> Start(ControlLoadWorker[] workers, Action<ControlLoadWorker> run)
    {
        var threads = workers.Select(w => new Thread(() => run(w)) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        return threads;
    }

    private static void WaitUntil(long timestamp)
    {
        var left = timestamp - Stopwatch.GetTimestamp();
        if (left > 0)
        {
            Thread.Sleep(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
        }
    }

    /// <summary>User plus system CPU seconds of the given processes, from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int[] pids)
    {
        var ticks = 0L;
        foreach (var pid in pids)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        return ticks / 100.0;
    }

    private static void Print(string phase, ControlLoadWorker[] workers, double seconds, int players, int sockets, int window)
    {
        var latency = new LatencyHistogram();
        foreach (var worker in workers)
        {
            latency.Add(worker.Latency);
        }

        var completed = workers.Sum(w => w.Completed);
        var lost = workers.Sum(w => w.Lost);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"control-load phase={phase} players={players} sockets={sockets} window={window} seconds={seconds:F1} ops={completed} " +
            $"rate={completed / seconds:F0}/s lost={lost} loss={(completed + lost > 0 ? 100.0 * lost / (completed + lost) : 0):F3}% errors={workers.Sum(w => w.Errors)} " +
            $"p50_us={latency.Percentile(0.50) / 1000:F0} p99_us={latency.Percentile(0.99) / 1000:F0}"));
    }
}
