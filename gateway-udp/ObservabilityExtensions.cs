using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Matchmaker.Gateway;

/// <summary>Metrics and health endpoints, shared by the silo and the stand-alone gateway so both expose the same surface.</summary>
public static class ObservabilityExtensions
{
    public static IServiceCollection AddMatchmakerMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Matchmaker")
            .AddMeter("Microsoft.Orleans")
            // Two Orleans gauges walk every activation or cache entry at each scrape, the first taking each activation's
            // lock: with 1,000,000 players one scrape cost over a second of CPU and, under load, outlasted Prometheus'
            // 10 s timeout (bench/README.md). orleans_catalog_activations and orleans_grains count what they would.
            .AddView(OrleansScanGauges.ActivationRequests, MetricStreamConfiguration.Drop)
            .AddView(OrleansScanGauges.DirectoryCacheSize, MetricStreamConfiguration.Drop)
            // GC, heap, thread pool, lock contention, exceptions: the .NET runtime's own meter.
            .AddRuntimeInstrumentation()
            // The runtime's own meter (GC heap after the last collection, working set, ...): a leak shows as a rising heap.
            .AddMeter("System.Runtime")
            // No scrape cache: a scrape reflects every packet counted before it, which operators and tests rely on.
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        // A provider subscribes to meters by name across the whole process, and meters of one name and instrument share a
        // series: another host's "Matchmaker" meter in this process would add to this host's figures, and disposing it would
        // end this host's series (open-telemetry/opentelemetry-dotnet#6412). Keep to this host's own meters.
        services.ConfigureOpenTelemetryMeterProvider(static (provider, metrics) => metrics.AddView(HostMeters.Only(provider.GetRequiredService<IMeterFactory>())));
        return services;
    }

    public static WebApplication MapMatchmakerEndpoints(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthEndpoints();
        return app;
    }
}
