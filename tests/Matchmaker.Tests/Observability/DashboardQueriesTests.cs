using Matchmaker.Client;
using Matchmaker.Tests.EndToEnd;

namespace Matchmaker.Tests.Observability;

/// <summary>
/// Every query of the Grafana dashboard returns data from a real Prometheus after real traffic: players
/// meet through the gateway process, both sides report their punches, and the silo and the gateway are
/// scraped. A panel whose query came back empty would be a blank chart in production.
/// </summary>
[Collection(ObservedClusterCollection.Name)]
public sealed class DashboardQueriesTests(ObservedClusterFixture cluster)
{
    /// <summary>
    /// The relay-traffic panel (matchmaker_relay_allocations_total, matchmaker_relay_bytes_total): a relayed
    /// flow needs two players with no direct path, which loopback cannot give (same address: always lan), and
    /// the relay refuses loopback peers by default. The NAT lab charts it: <see cref="NatLab.LabDashboardTests"/>
    /// runs every query, this panel's included, against a Prometheus scraping the lab's silo and relays.
    /// </summary>
    private static readonly HashSet<int> PanelsWithoutLoopbackTraffic = [8];

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_dashboard_query_returns_data_after_players_meet_and_report()
    {
        // Two rounds: the first creates the counters, the second makes them grow between scrapes, so rates,
        // ratios and quantiles have something to compute.
        const string Attempts = "sum(matchmaker_punch_attempts_total) or vector(0)";
        var before = (await cluster.Prometheus.QueryAsync(Attempts)).Single().Value;
        await MeetAsync("first");
        await cluster.Prometheus.QueryUntilAsync(Attempts, r => r.Single().Value >= before + 2, QueryTimeout);
        await MeetAsync("second");
        var attempts = await cluster.Prometheus.QueryUntilAsync(Attempts, r => r.Single().Value >= before + 4, QueryTimeout);
        Assert.Equal(before + 4, attempts.Single().Value);

        // Queue matches, also twice, so the queue-wait histogram has a rate to take quantiles of.
        const string Tickets = "sum(matchmaker_queue_tickets_total) or vector(0)";
        var ticketsBefore = (await cluster.Prometheus.QueryAsync(Tickets)).Single().Value;
        await QueueMatchAsync();
        await cluster.Prometheus.QueryUntilAsync(Tickets, r => r.Single().Value >= ticketsBefore + 2, QueryTimeout);
        await QueueMatchAsync();
        await cluster.Prometheus.QueryUntilAsync(Tickets, r => r.Single().Value >= ticketsBefore + 4, QueryTimeout);

        var blank = await GrafanaDashboard.Load().BlankQueriesAsync(cluster.Prometheus, QueryTimeout, PanelsWithoutLoopbackTraffic);

        Assert.True(blank.Count == 0, "Queries without data:\n" + string.Join('\n', blank));
    }

    [Fact]
    public async Task Punch_success_is_charted_per_sorted_nat_pair_and_method_without_player_data()
    {
        await MeetAsync("labels");

        var series = await cluster.Prometheus.QueryUntilAsync("matchmaker_punch_attempts_total", r => r.Count > 0, QueryTimeout);

        Assert.NotEmpty(series);
        foreach (var (labels, _) in series)
        {
            // Only the instrument's own tags plus Prometheus' target labels: nothing per player.
            Assert.Equal(["__name__", "instance", "job", "method", "nat_pair", "otel_scope_name"], labels.Keys.Order());
            Assert.Equal("matchmaker-silo", labels["job"]);
            var classes = labels["nat_pair"].Split('/');
            Assert.Equal(2, classes.Length);
            Assert.True(string.CompareOrdinal(classes[0], classes[1]) <= 0);
        }
    }

    [Fact]
    public void Only_the_relay_panel_lacks_loopback_traffic()
    {
        var panels = GrafanaDashboard.Load().Panels;

        Assert.Equal(panels.Count, panels.Select(p => p.Id).Distinct().Count());
        foreach (var id in PanelsWithoutLoopbackTraffic)
        {
            var panel = Assert.Single(panels, p => p.Id == id);
            Assert.All(panel.Expressions, e => Assert.Matches("matchmaker_relay_", e));
        }

        Assert.All(panels.Where(p => !PanelsWithoutLoopbackTraffic.Contains(p.Id)), p => Assert.NotEmpty(p.Expressions));
    }

    private async Task QueueMatchAsync()
    {
        await using var first = await MatchmakerClient.ConnectAsync(new() { Server = cluster.Gateway, ClassifyNat = false });
        await using var second = await MatchmakerClient.ConnectAsync(new() { Server = cluster.Gateway, ClassifyNat = false });
        // One mode for every round: the histogram's series must grow between scrapes for its rate to be non-zero.
        await first.QueueAsync("dashboard");
        await second.QueueAsync("dashboard");
        await first.NextAsync<QueueMatched>();
        await second.NextAsync<QueueMatched>();
    }

    private async Task MeetAsync(string name)
    {
        await using var host = await MatchmakerClient.ConnectAsync(new() { Server = cluster.Gateway, ClassifyNat = false });
        await using var joiner = await MatchmakerClient.ConnectAsync(new() { Server = cluster.Gateway, ClassifyNat = false });
        var lobby = await host.HostAsync(name, maxPlayers: 2);
        await joiner.JoinAsync(lobby.Code);
        await joiner.NextAsync<PeerConnected>();
        await host.NextAsync<PeerConnected>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (host.PunchReportsSent + joiner.PunchReportsSent < 2)
        {
            // Reports go out right after the connection; their acknowledgements arrive within a round trip.
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }
}
