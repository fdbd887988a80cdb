using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Matchmaker.Bench.Load;

/// <summary>
/// <c>stun-load</c>: drives one STUN server on loopback with N closed-loop client sockets and reports
/// valid Binding responses per second, loss and RTT percentiles.
/// </summary>
internal static class StunLoadCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        if (!StunLoadOptions.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine($"stun-load: {error}");
            return 2;
        }

        var workers = new LoadWorker[options.Sockets];
        try
        {
            for (var i = 0; i < workers.Length; i++)
            {
                // The request cap is split evenly so no socket can exceed its share.
                var share = (options.MaxRequests / options.Sockets) + (i < options.MaxRequests % options.Sockets ? 1 : 0);
                workers[i] = new LoadWorker(options, share, seed: Environment.TickCount ^ (i * 7919));
            }

            var result = Execute(options, workers);
            Console.WriteLine(options.Json ? JsonSerializer.Serialize(result, StunLoadJsonContext.Default.StunLoadResult) : Summary(result));
            return result.Counted > 0 ? 0 : 1;
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker?.Dispose();
            }
        }
    }

    private static StunLoadResult Execute(StunLoadOptions options, LoadWorker[] workers)
    {
        var frequency = Stopwatch.Frequency;
        var measureStart = Stopwatch.GetTimestamp() + (options.WarmupSeconds * frequency);
        var deadline = measureStart + (options.Seconds * frequency);
        var threads = workers
            .Select((worker, i) => new Thread(() => worker.Run(measureStart, deadline)) { IsBackground = true, Name = $"stun-load-{i}" })
            .ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var rtt = new LatencyHistogram();
        var perSecond = new long[options.Seconds];
        foreach (var worker in workers)
        {
            rtt.Add(worker.Rtt);
            for (var s = 0; s < perSecond.Length; s++)
            {
                perSecond[s] += worker.PerSecond[s];
            }
        }

        var sent = workers.Sum(w => w.Sent);
        var lost = workers.Sum(w => w.Lost);
        var counted = workers.Sum(w => w.Counted);
        var capped = sent >= options.MaxRequests;

        // A run cut short by --max-requests is rated over the time it was actually sending.
        var measureEnd = Math.Clamp(workers.Max(w => w.StoppedSendingAt), measureStart, deadline);
        var measured = (double)(measureEnd - measureStart) / frequency;
        return new StunLoadResult(
            options.Label,
            options.Target.ToString(),
            options.Sockets,
            options.Window,
            options.Seconds,
            options.WarmupSeconds,
            options.Fingerprint,
            sent,
            workers.Sum(w => w.Answered),
            counted,
            Math.Round(measured, 3),
            measured > 0 ? Math.Round(counted / measured, 1) : 0,
            lost,
            sent > 0 ? Math.Round(100.0 * lost / sent, 4) : 0,
            workers.Sum(w => w.Stale),
            workers.Sum(w => w.Invalid),
            workers.Sum(w => w.SendErrors),
            Math.Round(rtt.Percentile(0.50) / 1000, 1),
            Math.Round(rtt.Percentile(0.99) / 1000, 1),
            Math.Round(rtt.Percentile(1.0) / 1000, 1),
            capped,
            perSecond);
    }

    private static string Summary(StunLoadResult r) => string.Create(
        CultureInfo.InvariantCulture,
        $"stun-load label={r.Label ?? "-"} target={r.Target} sockets={r.Sockets} window={r.Window} seconds={r.Seconds} warmup={r.WarmupSeconds} " +
        $"sent={r.Sent} valid={r.Counted} rate={r.ResponsesPerSecond:F0}/s loss={r.LossPercent:F3}% lost={r.Lost} stale={r.Stale} invalid={r.Invalid} " +
        $"rtt_p50_us={r.RttP50Microseconds:F1} rtt_p99_us={r.RttP99Microseconds:F1} capped={(r.CappedByMaxRequests ? "yes" : "no")}");
}
