using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Gateway;

/// <summary>
/// The gateway as its own process: an Orleans client of the cluster (same <c>Orleans:Clustering</c>
/// switch as the silo), the UDP gateway, and HTTP metrics and health on <c>Http:Port</c>.
/// </summary>
public static class GatewayHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // The silo's appsettings.json defaults, in code: an appsettings.json here would collide with the silo's in its output.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft.Orleans", LogLevel.Warning);
        builder.AddMatchmakerHttp(HttpOptions.GatewayDefaultPort);
        builder.AddMatchmakerShutdown();
        builder.AddMatchmakerClusterClient();
        builder.Services.AddMatchmakerGateway(builder.Configuration);
        builder.Services.AddMatchmakerMetrics();

        var app = builder.Build();
        app.MapMatchmakerEndpoints();
        return app;
    }
}
