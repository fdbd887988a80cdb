using System.Text;
using Matchmaker.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// Every pair of lab hosts (host side × join side) runs a lobby host/join end to end through real NATs,
/// with a message each way; the method (a relay where no direct path exists) must be what the connection plan predicts.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class ConnectionMatrixTests(NatLabFixture lab, ITestOutputHelper output)
{
    private static readonly string[] Hosts = ["public", "full-cone", "addr-restricted", "port-restricted", "symmetric"];

    [Fact]
    public async Task Every_pair_connects_by_the_planned_method_through_a_relay_where_no_direct_path_exists()
    {
        var pairs = Hosts.SelectMany(host => Hosts.Where(join => join != host).Select(join => (host, join)))
            .Append(("hairpin-a", "hairpin-b"))
            .Append(("symmetric", "symmetric-b"))
            .ToList();
        var results = new List<(string Host, string Join, string Expected, string Actual)>();
        foreach (var (host, join) in pairs)
        {
            results.Add((host, join, Expected(host, join), await RunPairAsync(host, join)));
        }

        var table = new StringBuilder().AppendLine($"{"host",-16} {"joiner",-16} {"expected",-18} actual");
        foreach (var (host, join, expected, actual) in results)
        {
            table.AppendLine($"{host,-16} {join,-16} {expected,-18} {actual}{(expected == actual ? string.Empty : "   <-- MISMATCH")}");
        }

        output.WriteLine(table.ToString());
        Assert.All(results, r => Assert.True(r.Expected == r.Actual, $"{r.Host} x {r.Join}: expected {r.Expected}, got {r.Actual}\n{table}"));
    }

    /// <summary>The connection plan from theory (DESIGN.md order), stated independently of the planner's code.</summary>
    private static string Expected(string host, string join)
    {
        if (host.StartsWith("hairpin", StringComparison.Ordinal))
        {
            return "lan";
        }

        // No punch gets through a symmetric NAT unless the other side's filter lets an unknown port in:
        // those joins go through a relay.
        var cones = new[] { "public", "full-cone", "addr-restricted" };
        var symmetric = new[] { "symmetric", "symmetric-b" };
        if (symmetric.Contains(host) || symmetric.Contains(join))
        {
            var other = symmetric.Contains(host) ? join : host;
            return cones.Contains(other) ? "cone-to-symmetric" : "relay";
        }

        return "direct";
    }

    private async Task<string> RunPairAsync(string host, string join)
    {
        await using var hosting = CliProcess.StartWrapped(lab.In(host), "host", "--server", lab.Gateway, "--name", $"{host} hosts", "--max-players", "2", "--json");
        var code = (await hosting.WaitForEventAsync("lobby")).GetProperty("code").GetString()!;
        await using var joining = CliProcess.StartWrapped(lab.In(join), "join", code, "--server", lab.Gateway, "--json");
        var first = await joining.WaitForEventAsync(["connected", "error"]);
        if (first.GetProperty("event").GetString() == "error")
        {
            return first.GetProperty("code").GetString()!;
        }

        var method = first.GetProperty("method").GetString()!;
        var hostSide = await hosting.WaitForEventAsync("connected");
        await hosting.SendLineAsync($"from {host}");
        await joining.SendLineAsync($"from {join}");
        var atJoiner = (await joining.WaitForEventAsync("message")).GetProperty("text").GetString();
        var atHost = (await hosting.WaitForEventAsync("message")).GetProperty("text").GetString();
        return atJoiner == $"from {host}" && atHost == $"from {join}" && hostSide.GetProperty("method").GetString() == method
            ? method
            : $"{method} (messages: '{atJoiner}', '{atHost}')";
    }
}
