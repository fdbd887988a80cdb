using System.Text;
using Xunit.Abstractions;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// Faults on the wire: every NAT router drops 5% of the UDP it forwards (nftables numgen) and holds
/// another 10% back about 18 ms in a slow htb class, so later datagrams overtake them (reordering).
/// Registration, introductions and punching all retransmit, and nothing in the protocol assumes order,
/// so every pair whose NATs allow a direct path still connects and hears a line each way.
/// Pairs with the symmetric NAT are left to the unimpaired matrix: a lost classification probe can
/// honestly turn a cone into "filtered" and the plan into relay-required.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class ImpairedLinkTests(NatLabFixture lab, ITestOutputHelper output)
{
    private static readonly string[] Hosts = ["public", "full-cone", "addr-restricted", "port-restricted"];

    [Fact]
    public async Task Every_direct_pair_connects_with_a_message_each_way_under_five_percent_loss_and_reordering()
    {
        var pairs = Hosts.SelectMany(host => Hosts.Where(join => join != host).Select(join => (host, join))).Append(("hairpin-a", "hairpin-b")).ToList();
        var results = new List<(string Host, string Join, string Expected, string Actual)>();
        await NatLabFixture.RunAsync("bash", lab.Script, "impair", "on", "--loss", "5", "--reorder", "10");
        string status;
        try
        {
            foreach (var (host, join) in pairs)
            {
                results.Add((host, join, LabPair.Expected(host, join), await LabPair.RunAsync(lab, host, join, resend: true)));
            }
        }
        finally
        {
            status = await NatLabFixture.RunAsync("bash", lab.Script, "impair", "status");
            await NatLabFixture.RunAsync("bash", lab.Script, "impair", "off");
        }

        var table = new StringBuilder().AppendLine($"{"host",-16} {"joiner",-16} {"expected",-18} actual");
        foreach (var (host, join, expected, actual) in results)
        {
            table.AppendLine($"{host,-16} {join,-16} {expected,-18} {actual}");
        }

        output.WriteLine(table.ToString());
        output.WriteLine(status);
        Assert.All(results, r => Assert.True(r.Expected == r.Actual, $"{r.Host} x {r.Join}: expected {r.Expected}, got {r.Actual}\n{table}"));

        // The faults were real: the routers dropped datagrams and held others back while the pairs
        // connected (status lines: ROUTER DROPPED HELD DELAYED).
        var counters = status.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')).ToList();
        long Total(int column) => counters.Sum(fields => long.Parse(fields[column], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(Total(1) > 0, $"no datagram was dropped:\n{status}");
        Assert.True(Total(3) > 0, $"no datagram was held back for others to overtake:\n{status}");
    }
}
