using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Matchmaker.Bench.Load;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Bench.Queue;

/// <summary>
/// <c>queue-load</c>: one in-process silo with Matchmaker's grains. Players are registered first (not
/// measured); then tickets arrive as a Poisson process at the offered rate, each an
/// <see cref="IPlayerGrain.EnqueueAsync"/> call, and a player's time to match runs from its scheduled
/// arrival (not from when the driver got round to it, so a lagging driver cannot hide queueing) to the
/// moment its Matched push reaches the <see cref="MatchRecorder"/> standing in for the gateway.
/// </summary>
internal static class QueueLoadCommand
{
    private const string Mode = "ranked";

    public static int Run(ReadOnlySpan<string> args)
    {
        if (!QueueLoadOptions.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine($"queue-load: {error}");
            return 2;
        }

        var calls = options.CountCalls ? new CallCounter() : null;
        var result = RunAsync(options, calls).GetAwaiter().GetResult();
        Console.WriteLine(options.Json ? JsonSerializer.Serialize(result, QueueLoadJsonContext.Default.QueueLoadResult) : Summary(result));
        if (calls is not null)
        {
            Console.WriteLine(calls.Describe(result.Enqueued));
        }

        return result.MatchedPlayers > 0 ? 0 : 1;
    }

    private static async Task<QueueLoadResult> RunAsync(QueueLoadOptions options, CallCounter? calls)
    {
        var population = Population.Generate(options, Mode, options.Seed);
        var recorder = new MatchRecorder(population.Ids.Select((id, i) => (id, i)).ToFrozenDictionary(p => p.id, p => p.i));
        using var host = BuildSilo(options, calls);
        await host.StartAsync();
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            await WarmUpAsync(grains, options);
            var route = new GatewayRoute(grains.CreateObjectReference<IGatewayPush>(recorder), new IPEndPoint(IPAddress.Loopback, 3478));
            await RegisterAsync(grains, population, route);
            calls?.Reset();
            var run = new ArrivalRun(grains, population, options);

            // CPU time per ticket is the figure least disturbed by other work on a shared machine.
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            await run.ExecuteAsync();
            await DrainAsync(recorder, population.Count, options.DrainSeconds);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            return Measure(options, population, run, recorder, cpu);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>
    /// <c>--warmup</c> seconds (default 2) of the same load in another mode, at most 2,000 tickets/s, not
    /// measured: the first matches pay for JIT compilation (tiered, so code runs unoptimised and instrumented
    /// for a while) and grain-type set-up, which would otherwise dominate short runs.
    /// </summary>
    private static async Task WarmUpAsync(IGrainFactory grains, QueueLoadOptions options)
    {
        var warm = options with { Seconds = options.WarmupSeconds, Rate = Math.Min(options.Rate, 2000) };
        var population = Population.Generate(warm, "warmup", options.Seed + 1);
        var recorder = new MatchRecorder(population.Ids.Select((id, i) => (id, i)).ToFrozenDictionary(p => p.id, p => p.i));
        await RegisterAsync(grains, population, new GatewayRoute(grains.CreateObjectReference<IGatewayPush>(recorder), new IPEndPoint(IPAddress.Loopback, 3478)));
        await new ArrivalRun(grains, population, warm).ExecuteAsync();
        await DrainAsync(recorder, population.Count, 5);
    }

    private static IHost BuildSilo(QueueLoadOptions options, CallCounter? calls)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Queues:Sharded"] = (!options.Unsharded).ToString(CultureInfo.InvariantCulture),

            // Registrations must outlive the run without the bench spending calls on heartbeats.
            ["Players:HeartbeatInterval"] = "00:10:00",
        });
        builder.Services.AddMatchmakerGrains(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(options.SiloPort, options.SiloPort + 1);
            if (calls is not null)
            {
                silo.AddOutgoingGrainCallFilter(calls);
            }
        });
        return builder.Build();
    }

    private static async Task RegisterAsync(IGrainFactory grains, Population population, GatewayRoute route)
    {
        using var window = new SemaphoreSlim(2048);
        var tasks = new List<Task>(population.Count);
        for (var i = 0; i < population.Count; i++)
        {
            await window.WaitAsync();
            var presence = new PlayerPresence(population.PublicEndpoint(i), [], population.Capabilities[i], route);
            tasks.Add(Release(grains.GetGrain<IPlayerGrain>(population.Ids[i]).HeartbeatAsync(presence), window));
        }

        await Task.WhenAll(tasks);

        static async Task Release(Task call, SemaphoreSlim window)
        {
            try
            {
                await call;
            }
            finally
            {
                window.Release();
            }
        }
    }

    /// <summary>
    /// Waits for the backlog: until every player matched, or matches stopped arriving for two seconds
    /// (the rest have no compatible partner yet), or at most <paramref name="seconds"/>.
    /// </summary>
    private static async Task DrainAsync(MatchRecorder recorder, int players, int seconds)
    {
        var deadline = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
        var last = recorder.Matched;
        var stableSince = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() < deadline && recorder.Matched < players)
        {
            await Task.Delay(100);
            if (recorder.Matched != last)
            {
                last = recorder.Matched;
                stableSince = Stopwatch.GetTimestamp();
            }
            else if (last > 0 && Stopwatch.GetTimestamp() - stableSince > 2 * Stopwatch.Frequency)
            {
                return;
            }
        }
    }

    private static QueueLoadResult Measure(QueueLoadOptions options, Population population, ArrivalRun run, MatchRecorder recorder, TimeSpan cpu)
    {
        var toMatch = new LatencyHistogram();
        var enqueue = new LatencyHistogram();
        long unmatchedSymmetric = 0, unmatchedOther = 0, lastEnqueue = run.Start;
        var ticksToNs = 1e9 / Stopwatch.Frequency;
        for (var i = 0; i < population.Count; i++)
        {
            if (run.EnqueuedAt[i] != 0)
            {
                enqueue.Record((long)((run.EnqueuedAt[i] - run.ScheduledAt[i]) * ticksToNs));
                lastEnqueue = Math.Max(lastEnqueue, run.EnqueuedAt[i]);
            }

            var matchedAt = recorder.MatchedAt(i);
            if (matchedAt != 0)
            {
                toMatch.Record((long)((matchedAt - run.ScheduledAt[i]) * ticksToNs));
            }
            else if (NatMix.IsSymmetric(population.Capabilities[i]))
            {
                unmatchedSymmetric++;
            }
            else
            {
                unmatchedOther++;
            }
        }

        double Seconds(long from, long to) => Math.Max(1e-9, (to - from) / (double)Stopwatch.Frequency);
        return new QueueLoadResult(
            options.Label,
            !options.Unsharded,
            options.Rate,
            options.Seconds,
            options.Regions,
            options.Size,
            options.Symmetric,
            population.Count,
            run.Enqueued,
            run.Errors,
            Math.Round(run.Enqueued / Seconds(run.Start, lastEnqueue)),
            Math.Round(enqueue.Percentile(0.99) / 1e6, 2),
            recorder.Matched,
            Math.Round(recorder.Matched / Seconds(run.Start, Math.Max(recorder.LastMatchAt, run.Start + 1))),
            unmatchedSymmetric,
            unmatchedOther,
            Math.Round(toMatch.Percentile(0.50) / 1e6, 2),
            Math.Round(toMatch.Percentile(0.99) / 1e6, 2),
            Math.Round(toMatch.Percentile(1.0) / 1e6, 2),
            recorder.Introductions,
            Math.Round(cpu.TotalMicroseconds / population.Count, 1));
    }

    private static string Summary(QueueLoadResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Label ?? "queue-load"}: {(r.Sharded ? "sharded" : "unsharded")}, offered {r.OfferedRate}/s × {r.Seconds}s, size {r.Size}, {r.Regions} regions, {r.SymmetricShare:P0} symmetric | "
        + $"enqueued {r.Enqueued}/{r.Tickets} ({r.EnqueueErrors} errors) at {r.EnqueuedPerSecond}/s, enqueue p99 {r.EnqueueP99Milliseconds} ms | "
        + $"matched {r.MatchedPlayers} at {r.MatchedPerSecond}/s, time to match p50 {r.TimeToMatchP50Milliseconds} ms, p99 {r.TimeToMatchP99Milliseconds} ms, max {r.TimeToMatchMaxMilliseconds} ms | "
        + $"unmatched: {r.UnmatchedSymmetric} symmetric, {r.UnmatchedOther} other | CPU {r.CpuMicrosecondsPerTicket} µs/ticket");

    /// <summary>The players of a run, drawn from a seeded generator so runs are repeatable.</summary>
    private sealed class Population
    {
        private Population(int count)
        {
            Ids = new Guid[count];
            Capabilities = new NatCapabilities[count];
            Specs = new QueueSpec[count];
            ArrivalOffsets = new long[count];
        }

        public int Count => Ids.Length;

        public Guid[] Ids { get; }

        public NatCapabilities[] Capabilities { get; }

        public QueueSpec[] Specs { get; }

        /// <summary>Stopwatch ticks after the start at which each ticket arrives: exponential gaps, a Poisson process.</summary>
        public long[] ArrivalOffsets { get; }

        public static Population Generate(QueueLoadOptions options, string mode, int seed)
        {
            var random = new Random(seed);
            var population = new Population(options.Tickets);
            var regions = Enumerable.Range(0, options.Regions).Select(r => new QueueSpec(mode, options.Size, $"region-{r}")).ToArray();
            var clock = 0.0;
            Span<byte> id = stackalloc byte[16];
            for (var i = 0; i < population.Count; i++)
            {
                random.NextBytes(id);
                population.Ids[i] = new Guid(id);
                population.Capabilities[i] = NatMix.Draw(random, options.Symmetric);
                population.Specs[i] = regions[random.Next(regions.Length)];
                clock += -Math.Log(1 - random.NextDouble()) / options.Rate;
                population.ArrivalOffsets[i] = (long)(clock * Stopwatch.Frequency);
            }

            return population;
        }

        /// <summary>A distinct address per player from 198.18.0.0/15 (RFC 2544's benchmarking range), so no two share a NAT.</summary>
        public IPEndPoint PublicEndpoint(int index) =>
            new(new IPAddress([198, (byte)(18 + (index >> 16)), (byte)(index >> 8), (byte)index]), 40000);
    }

    /// <summary>Issues each enqueue at its scheduled time (in bursts of what fell due since the last millisecond tick).</summary>
    private sealed class ArrivalRun(IGrainFactory grains, Population population, QueueLoadOptions options)
    {
        private int _completed;
        private long _enqueued;
        private long _errors;

        public long Start { get; private set; }

        public long[] ScheduledAt { get; } = new long[population.Count];

        public long[] EnqueuedAt { get; } = new long[population.Count];

        public long Enqueued => Interlocked.Read(ref _enqueued);

        public long Errors => Interlocked.Read(ref _errors);

        public async Task ExecuteAsync()
        {
            var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Start = Stopwatch.GetTimestamp();
            var next = 0;
            while (next < population.Count)
            {
                var now = Stopwatch.GetTimestamp();
                while (next < population.Count && Start + population.ArrivalOffsets[next] <= now)
                {
                    var i = next++;
                    ScheduledAt[i] = Start + population.ArrivalOffsets[i];
                    _ = EnqueueAsync(i, allDone);
                }

                if (next < population.Count)
                {
                    await Task.Delay(1);
                }
            }

            // Every enqueue answers or fails; the grain call timeout bounds the wait.
            await allDone.Task.WaitAsync(TimeSpan.FromSeconds(options.Seconds + 60));
        }

        private async Task EnqueueAsync(int i, TaskCompletionSource allDone)
        {
            try
            {
                if (await grains.GetGrain<IPlayerGrain>(population.Ids[i]).EnqueueAsync(population.Specs[i]) == QueueStatus.Ok)
                {
                    EnqueuedAt[i] = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref _enqueued);
                }
                else
                {
                    Interlocked.Increment(ref _errors);
                }
            }
            catch (Exception exception) when (exception is TimeoutException or OrleansException)
            {
                Interlocked.Increment(ref _errors);
            }
            finally
            {
                if (Interlocked.Increment(ref _completed) == population.Count)
                {
                    allDone.TrySetResult();
                }
            }
        }
    }
}
