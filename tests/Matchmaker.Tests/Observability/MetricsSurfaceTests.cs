using Matchmaker.Grains;
using Matchmaker.Tests.Infrastructure;

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

        var names = (await Http.GetStringAsync(new Uri(silo.Http, "/metrics")))
            .Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.IndexOfAny(['{', ' '])])
            .ToHashSet();

        Assert.Contains("orleans_catalog_activations", names);
        Assert.Contains("orleans_grains", names);
        Assert.DoesNotContain("orleans_messaging_processing_activation_data", names);
        Assert.DoesNotContain("orleans_directory_cache_size", names);
    }
}
