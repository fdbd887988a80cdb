using Matchmaker.Tests.EndToEnd;
using Matchmaker.Tests.Infrastructure;
using Matchmaker.Tests.Observability;
using Xunit.Abstractions;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// The dashboard after a NAT-lab run: a real Prometheus inside the lab's gateway host scrapes the lab's
/// silo and both relay processes while players behind real NATs meet directly, through a relay, and
/// through a queue. Every query of every panel, the relay panel included, must then return data —
/// loopback alone cannot produce a relayed flow, the lab can.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class LabDashboardTests(NatLabFixture lab, ITestOutputHelper output)
{
    private const int SiloHttpPort = 9464;
    private static readonly int[] RelayHttpPorts = [9466, 9467];
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_dashboard_query_returns_data_after_a_nat_lab_run()
    {
        (string Job, int Port)[] targets = [("matchmaker-silo", SiloHttpPort), .. RelayHttpPorts.Select(port => ("matchmaker-relay", port))];
        await using var prometheus = await PrometheusServer.StartAsync(targets, lab.Env["NATLAB_GW_NS"]);

        // Two rounds: the first creates the series, the second makes them grow between scrapes, so rates,
        // ratios and quantiles have something to compute.
        const string Relayed = "sum(matchmaker_relay_allocations_total) or vector(0)";
        const string Attempts = "sum(matchmaker_punch_attempts_total) or vector(0)";
        for (var round = 1; round <= 2; round++)
        {
            var (relayedBefore, attemptsBefore) = (await ValueAsync(prometheus, Relayed), await ValueAsync(prometheus, Attempts));
            Assert.Equal("direct", await LabPair.RunAsync(lab, "public", "port-restricted", resend: true));
            Assert.Equal("relay", await LabPair.RunAsync(lab, "symmetric", "port-restricted", resend: true));
            await QueueMatchAsync();
            await prometheus.QueryUntilAsync(Relayed, r => r.Single().Value >= relayedBefore + 1, QueryTimeout);
            await prometheus.QueryUntilAsync(Attempts, r => r.Single().Value >= attemptsBefore + 6, QueryTimeout);
            output.WriteLine($"round {round}: relay allocations {await ValueAsync(prometheus, Relayed)}, punch attempts {await ValueAsync(prometheus, Attempts)}");
        }

        var blank = await GrafanaDashboard.Load().BlankQueriesAsync(prometheus, QueryTimeout);

        Assert.True(blank.Count == 0, "Queries without data:\n" + string.Join('\n', blank));
    }

    private static async Task<double> ValueAsync(PrometheusServer prometheus, string promQl) => (await prometheus.QueryAsync(promQl)).Single().Value;

    /// <summary>
    /// Two cone hosts queue and connect directly. One mode for both rounds: the queue-wait histogram's
    /// series must grow between scrapes for its rate to be non-zero.
    /// </summary>
    private async Task QueueMatchAsync()
    {
        const string Mode = "lab-dashboard";
        await using var first = CliProcess.StartWrapped(lab.In("full-cone"), "queue", "--server", lab.Gateway, "--mode", Mode, "--size", "2", "--region", "lab", "--json");
        await first.WaitForEventAsync("queued");
        await using var second = CliProcess.StartWrapped(lab.In("addr-restricted"), "queue", "--server", lab.Gateway, "--mode", Mode, "--size", "2", "--region", "lab", "--json");
        await first.WaitForEventAsync("matched");
        await second.WaitForEventAsync("matched");
        Assert.Equal("direct", (await first.WaitForEventAsync("connected")).GetProperty("method").GetString());
        await second.WaitForEventAsync("connected");
    }
}
