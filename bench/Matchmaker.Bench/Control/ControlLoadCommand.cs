using System.Diagnostics;
using System.Globalization;
using System.Net;
using Matchmaker.Bench.Load;

namespace Matchmaker.Bench.Control;

/// <summary>
/// <c>control-load</c>: grain calls through a gateway, driven by real UDP. Registers N players (two
/// round trips each, the second reaching a player grain), then runs heartbeats or host+join pairs for a
/// fixed time, and prints operations per second, loss and latency percentiles for each phase.
/// </summary>
internal static class ControlLoadCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        IPEndPoint? target = null;
        int players = 10_000, sockets = 2, window = 64, seconds = 10, warmup = 1;
        var op = "heartbeat";
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
            .Select(i => new ControlLoadWorker(target, (players / sockets) + (i < players % sockets ? 1 : 0), window, TimeSpan.FromSeconds(2)))
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
            Parallel(workers, w =>
            {
                if (op == "join")
                {
                    w.Join(measureStart, deadline);
                }
                else
                {
                    w.Heartbeat(measureStart, deadline);
                }
            });
            Print(op, workers, seconds, players, sockets, window);
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

    private static void Parallel(ControlLoadWorker[] workers, Action<ControlLoadWorker> run)
    {
        var threads = workers.Select(w => new Thread(() => run(w)) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
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
