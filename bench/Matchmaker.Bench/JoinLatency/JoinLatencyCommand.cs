using System.Globalization;

namespace Matchmaker.Bench.JoinLatency;

/// <summary>
/// <c>join-latency</c>: time from calling join to the joiner's <c>connected</c> event (its first verified
/// peer packet), across the NAT lab, for any list of (hosting lab host, joining lab host) pairs. For each
/// pair it starts one <see cref="JoinLatencyPeer"/> per side inside the lab and drives N iterations,
/// then prints p50/p99 against the lab's Binding RTT and the target p50 &lt; 2 RTT + 20 ms.
/// </summary>
internal static class JoinLatencyCommand
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var natlab, out var server, out var pairs, out var count))
        {
            Console.Error.WriteLine("usage: join-latency --natlab PATH/natlab.sh --server IP:PORT --pairs HOST:JOINER[,HOST:JOINER...] [--count 200]");
            return 2;
        }

        Console.WriteLine($"{"host:joiner",-34} {"method",-18} {"ok",5} {"failed",6} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"rtt ms",7} {"target ms",9}  met");
        var allMet = true;
        foreach (var pair in pairs)
        {
            var result = await RunPairAsync(natlab, server, pair, count);
            Console.WriteLine(result.Row());
            allMet &= result.Failures == 0;
        }

        return allMet ? 0 : 1;
    }

    private static async Task<PairResult> RunPairAsync(string natlab, string server, LabPair pair, int count)
    {
        await using var forward = pair.NeedsOpenPort ? await OpenPortForward.AddAsync(natlab) : null;
        await using var host = PeerProcess.Start(natlab, pair.Host, "host", server);
        await using var joiner = PeerProcess.Start(natlab, pair.Joiner, "join", server);
        var hostRtt = ReadyRtt(await host.ReadAsync(StartTimeout));
        var joinRtt = ReadyRtt(await joiner.ReadAsync(StartTimeout));
        var samples = new List<double>(count);
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        var failures = 0;
        string? lastFailure = null;
        for (var i = 0; i < count; i++)
        {
            await host.SendAsync("host");
            var lobby = Expect(await host.ReadAsync(StepTimeout), "lobby");
            await joiner.SendAsync($"join {lobby[1]}");
            var joined = await joiner.ReadAsync(StepTimeout);
            var hostSide = await host.ReadAsync(StepTimeout);
            if (joined.StartsWith("connected ", StringComparison.Ordinal) && hostSide.StartsWith("connected ", StringComparison.Ordinal))
            {
                var words = joined.Split(' ');
                methods.Add(words[1]);
                samples.Add(double.Parse(words[2], CultureInfo.InvariantCulture) / 1000);
            }
            else
            {
                failures++;
                lastFailure = $"joiner: {joined}; host: {hostSide}";
            }

            await host.SendAsync("close");
            await joiner.SendAsync("close");
            Expect(await host.ReadAsync(StepTimeout), "closed");
            Expect(await joiner.ReadAsync(StepTimeout), "closed");
        }

        if (lastFailure is not null)
        {
            Console.Error.WriteLine($"{pair}: {failures} failed, last: {lastFailure}");
        }

        samples.Sort();
        return new PairResult(pair, string.Join('/', methods), samples, failures, Math.Max(hostRtt, joinRtt));
    }

    private static string[] Expect(string line, string word)
    {
        var words = line.Split(' ');
        return words[0] == word ? words : throw new InvalidOperationException($"expected '{word} …', got '{line}'");
    }

    private static double ReadyRtt(string line) => double.Parse(Expect(line, "ready")[1], CultureInfo.InvariantCulture) / 1000;

    private static bool TryParse(string[] args, out string natlab, out string server, out List<LabPair> pairs, out int count)
    {
        natlab = "";
        server = "";
        pairs = [];
        count = 200;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--natlab":
                    natlab = value;
                    break;
                case "--server":
                    server = value;
                    break;
                case "--count" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 10_000:
                    count = n;
                    break;
                case "--pairs":
                    foreach (var text in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!LabPair.TryParse(text, out var pair))
                        {
                            return false;
                        }

                        pairs.Add(pair);
                    }

                    break;
                default:
                    return false;
            }
        }

        return natlab.Length > 0 && server.Length > 0 && pairs.Count > 0 && args.Length % 2 == 0;
    }

    private sealed record PairResult(LabPair Pair, string Methods, List<double> SortedMs, int Failures, double RttMs)
    {
        public string Row()
        {
            var target = (2 * RttMs) + 20;
            var p50 = Percentile(0.50);
            return FormattableString.Invariant(
                $"{Pair,-34} {Methods,-18} {SortedMs.Count,5} {Failures,6} {p50,8:F1} {Percentile(0.99),8:F1} {(SortedMs.Count == 0 ? 0 : SortedMs[^1]),8:F1} {RttMs,7:F2} {target,9:F1}  {(SortedMs.Count > 0 && p50 < target ? "yes" : "no")}");
        }

        /// <summary>Nearest-rank percentile of the sorted samples.</summary>
        private double Percentile(double quantile) =>
            SortedMs.Count == 0 ? 0 : SortedMs[Math.Clamp((int)Math.Ceiling(quantile * SortedMs.Count) - 1, 0, SortedMs.Count - 1)];
    }
}
