using System.Diagnostics;
using System.Globalization;
using System.Net;
using Matchmaker.Grains.Queues;

namespace Matchmaker.Bench.Queue;

/// <summary>
/// <c>queue-matcher</c>: the matching algorithm alone, on one thread, with no grains: how many tickets per
/// second one shard's <see cref="QueueMatcher"/> can take with the realistic NAT mix, all in one shard (the
/// unsharded case, symmetric NATs and port-restricted cones side by side). It bounds what a queue grain
/// could ever do; the grain pipeline (<c>queue-load</c>) is measured separately.
/// </summary>
internal static class MatcherLoadCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        var tickets = args.Length >= 2 && args[0] == "--tickets" && int.TryParse(args[1], CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 5_000_000
            ? n
            : 1_000_000;
        var random = new Random(42);
        var epoch = DateTimeOffset.UnixEpoch;
        var candidates = new MatchCandidate[tickets];
        for (var i = 0; i < tickets; i++)
        {
            candidates[i] = new MatchCandidate(
                Guid.NewGuid(), epoch.AddTicks(i), new IPAddress([198, (byte)(18 + ((i >> 16) & 1)), (byte)(i >> 8), (byte)i]), NatMix.Draw(random, 0.10));
        }

        var matcher = new QueueMatcher(2);
        var matched = 0;
        var started = Stopwatch.GetTimestamp();
        foreach (var candidate in candidates)
        {
            foreach (var match in matcher.AddAndMatch([candidate]))
            {
                matched += match.Length;
            }
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"queue-matcher: {tickets} tickets, size 2, 10 % symmetric, one shard: {tickets / seconds:F0} tickets/s on one thread, {matched} matched, {matcher.Count} waiting"));
        return 0;
    }
}
