using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using OpenTelemetry.Metrics;

namespace Matchmaker.Silo;

/// <summary>The host set-up steps, one extension each, so Program.cs stays a list of calls (as eShop's ServiceDefaults).</summary>
public static class SiloBuilderExtensions
{
    public static WebApplicationBuilder AddMatchmakerHttp(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HttpOptions>().Bind(builder.Configuration.GetSection(HttpOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var http = builder.Configuration.GetSection(HttpOptions.Section).Get<HttpOptions>() ?? new HttpOptions();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Any, http.Port));
        return builder;
    }

    public static WebApplicationBuilder AddMatchmakerOrleans(this WebApplicationBuilder builder)
    {
        var silo = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        builder.UseOrleans(orleans =>
            orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, null, silo.ServiceId, silo.ClusterId));
        return builder;
    }

    public static WebApplicationBuilder AddMatchmakerMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Matchmaker")
            .AddMeter("Microsoft.Orleans")
            // No scrape cache: a scrape reflects every packet counted before it, which operators and tests rely on.
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    public static WebApplication MapMatchmakerEndpoints(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthEndpoints();
        return app;
    }
}
