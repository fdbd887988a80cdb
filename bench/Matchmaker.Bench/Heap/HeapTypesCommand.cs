using System.Diagnostics;
using System.Globalization;
using Matchmaker.Bench.Soak;

namespace Matchmaker.Bench.Heap;

/// <summary>
/// <c>heap-types</c>: per-type instance counts and bytes of a running process's managed heap (ClrMD,
/// the process suspended while it is read), optionally right after an induced full collection and
/// counting only what is reachable; against a saved snapshot, the types that grew most. This is how
/// a slow rise in the soak's live heap is traced to the types that make it up.
/// </summary>
internal static class HeapTypesCommand
{
    private const double MiB = 1048576.0;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!HeapTypesOptions.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine($"heap-types: {error}");
            return 2;
        }

        if (options.DiffFiles is var (beforePath, afterPath))
        {
            PrintGrowth(HeapSnapshot.Load(beforePath), HeapSnapshot.Load(afterPath), options.Top);
            return 0;
        }

        var pid = options.ProcessId!.Value;
        var liveAfterGc = -1L;
        if (options.Metrics is { } metrics)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            liveAfterGc = await new LiveHeapProbe(pid, metrics, http).MeasureAsync(CancellationToken.None);
            Console.WriteLine(liveAfterGc < 0
                ? "full collection: not confirmed within 10 s (walking anyway)"
                : string.Create(CultureInfo.InvariantCulture, $"full collection: live heap {liveAfterGc / MiB:0.0} MiB (the process's /metrics)"));
        }

        var watch = Stopwatch.StartNew();
        HeapSnapshot snapshot;
        using (var walker = HeapWalker.Attach(pid, options.Live))
        {
            snapshot = walker.Snapshot(pid, liveAfterGc);
            foreach (var type in options.PathTypes)
            {
                walker.DescribeRetention(type, options.PathSamples, Console.Out);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(snapshot.LiveOnly ? "live" : "all")} objects: {snapshot.Count} in {snapshot.Bytes / MiB:0.0} MiB, {snapshot.Types.Count} types (process suspended {watch.Elapsed.TotalSeconds:0.0} s)"));
        if (options.SavePath is { } save)
        {
            snapshot.Save(save);
        }

        if (options.BaselinePath is { } baseline)
        {
            PrintGrowth(HeapSnapshot.Load(baseline), snapshot, options.Top);
            return 0;
        }

        Console.WriteLine($"{"count",10} {"bytes",12}  type");
        foreach (var type in snapshot.Types.Take(options.Top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{type.Count,10} {type.Bytes,12}  {type.Type}"));
        }

        return 0;
    }

    private static void PrintGrowth(HeapSnapshot before, HeapSnapshot after, int top)
    {
        var seconds = (after.TakenAt - before.TakenAt).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{seconds:0} s apart: {before.Count} → {after.Count} objects, {before.Bytes / MiB:0.0} → {after.Bytes / MiB:0.0} MiB ({(after.Bytes - before.Bytes) / MiB:+0.0;-0.0} MiB)"));
        Console.WriteLine($"{"count",10} {"+count",9} {"bytes",12} {"+bytes",11}  type");
        foreach (var growth in after.GrowthSince(before).Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{growth.After.Count,10} {growth.Count,9:+0;-0;0} {growth.After.Bytes,12} {growth.Bytes,11:+0;-0;0}  {growth.Type}"));
        }
    }
}
