using System.Diagnostics.Metrics;
using Matchmaker.Gateway;
using Matchmaker.Grains;
using Matchmaker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Tests.Observability;

/// <summary>What a scrape of a node's /metrics carries from Orleans, and what it leaves out on purpose.</summary>
[Collection(SiloCollection.Name)]
public sealed class MetricsSurfaceTests(SiloFixture silo)
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Orleans_activation_counts_are_exported_but_not_the_gauges_that_walk_every_activation()
    {
        // An activation, so the catalog and the directory cache have something to report.
        await silo.Grains.GetGrain<IPlayerGrain>(Guid.NewGuid()).GetStatusAsync();

        var names = await ScrapeNamesAsync();

        Assert.Contains("orleans_catalog_activations", names);
        Assert.Contains("orleans_grains", names);
        Assert.DoesNotContain("orleans_messaging_processing_activation_data", names);
        Assert.DoesNotContain("orleans_directory_cache_size", names);
    }

    [Fact]
    public async Task A_meter_of_the_same_name_in_another_host_of_the_process_leaves_with_its_host_alone()
    {
        // Another host in this process (a second test host, an embedded tool) builds the same "Matchmaker" instruments
        // through its own meter factory, then shuts down and disposes them. Meters are per host; the series must be too.
        using (var otherHost = new ServiceCollection().AddMetrics().BuildServiceProvider())
        {
            var otherMetrics = new GatewayMetrics(otherHost.GetRequiredService<IMeterFactory>());
            otherMetrics.CountLease(LeaseEvent.Granted);
        }

        // Disposed instruments are exported once more and then forgotten, so the second scrape is the one that tells.
        await ScrapeNamesAsync();
        var names = await ScrapeNamesAsync();

        Assert.Contains("matchmaker_gateway_heartbeat_leases_total", names);
        Assert.Contains("matchmaker_gateway_heartbeat_leases_active", names);
    }

    private async Task<HashSet<string>> ScrapeNamesAsync() =>
        (await Http.GetStringAsync(new Uri(silo.Http, "/metrics")))
            .Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.IndexOfAny(['{', ' '])])
            .ToHashSet();
}
