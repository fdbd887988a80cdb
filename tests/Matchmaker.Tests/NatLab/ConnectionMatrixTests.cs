using System.Text;
using Xunit.Abstractions;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// Every pair of lab hosts (host side × join side) runs a lobby host/join end to end through real NATs,
/// with a message each way; the method (or relay-required) must be what the connection plan predicts.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class ConnectionMatrixTests(NatLabFixture lab, ITestOutputHelper output)
{
    private static readonly string[] Hosts = ["public", "full-cone", "addr-restricted", "port-restricted", "symmetric"];

    [Fact]
    public async Task Every_pair_connects_by_the_planned_method_or_is_told_relay_required()
    {
        var pairs = Hosts.SelectMany(host => Hosts.Where(join => join != host).Select(join => (host, join))).Append(("hairpin-a", "hairpin-b")).ToList();
        var results = new List<(string Host, string Join, string Expected, string Actual)>();
        foreach (var (host, join) in pairs)
        {
            results.Add((host, join, LabPair.Expected(host, join), await LabPair.RunAsync(lab, host, join)));
        }

        var table = new StringBuilder().AppendLine($"{"host",-16} {"joiner",-16} {"expected",-18} actual");
        foreach (var (host, join, expected, actual) in results)
        {
            table.AppendLine($"{host,-16} {join,-16} {expected,-18} {actual}{(expected == actual ? string.Empty : "   <-- MISMATCH")}");
        }

        output.WriteLine(table.ToString());
        Assert.All(results, r => Assert.True(r.Expected == r.Actual, $"{r.Host} x {r.Join}: expected {r.Expected}, got {r.Actual}\n{table}"));
    }
}
