using System.Globalization;
using System.Text.Json;

namespace Matchmaker.Bench.Soak;

/// <summary><c>soak</c>: runs <see cref="SoakRunner"/> against a running silo and prints the memory and error curve.</summary>
internal static class SoakCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        if (!SoakOptions.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine($"soak: {error}");
            return 2;
        }

        var result = new SoakRunner(options).RunAsync().GetAwaiter().GetResult();
        if (options.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, SoakJsonContext.Default.SoakResult));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"seconds",8} {"rss MiB",8} {"live MiB",9} {"requests",10} {"errors",7} {"lobbies",8} {"players",8}"));
            foreach (var s in result.Samples)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.ElapsedSeconds,8:0} {s.RssBytes / 1048576.0,8:0.0} {s.GcHeapBytes / 1048576.0,9:0.0} {s.Requests,10} {s.Errors,7} {s.LobbiesOpened,8} {s.PlayersRegistered,8}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Players} players, {result.DurationSeconds:0} s: {result.Requests} requests, {result.LobbiesOpened} lobbies, {result.Errors} errors, after the ramp RSS grew {result.RssGrowthBytes / 1048576.0:0.0} MiB (peak {result.PeakRssBytes / 1048576.0:0.0} MiB), live heap (after a full GC) grew {result.GcHeapGrowthBytes / 1048576.0:0.0} MiB"));
            foreach (var (kind, count) in result.ErrorsByKind)
            {
                Console.WriteLine($"  error {kind}: {count}");
            }
        }

        return result.Errors == 0 ? 0 : 1;
    }
}
