using Matchmaker.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Relay;

/// <summary>
/// A relay node as its own process: an Orleans client of the cluster (for its heartbeat only), the UDP
/// relay on <c>Relay:Port</c>, and HTTP metrics and health on <c>Http:Port</c> (9466).
/// </summary>
public static class RelayHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft.Orleans", LogLevel.Warning);
        builder.AddMatchmakerHttp(HttpOptions.RelayDefaultPort);
        // /health/ready reads the shutdown state: without it the endpoint cannot bind and answers 500.
        builder.AddMatchmakerShutdown();
        builder.AddMatchmakerClusterClient();
        builder.Services.AddMatchmakerRelay(builder.Configuration);
        builder.Services.AddMatchmakerMetrics();

        var app = builder.Build();
        app.MapMatchmakerEndpoints();
        return app;
    }
}
