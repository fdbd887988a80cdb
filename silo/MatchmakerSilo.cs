using Matchmaker.Gateway;
using Matchmaker.Grains;
using Matchmaker.Relay;
using Microsoft.AspNetCore.Builder;

namespace Matchmaker.Silo;

/// <summary>
/// The silo host, reusable by tests. With no configuration it is the embedded default: localhost
/// clustering, in-memory soft state, the UDP gateway and a relay node in the same process, HTTP health and metrics.
/// </summary>
public static class MatchmakerSilo
{
    public static WebApplication Build(string[] args) => Build(args, configure: null);

    /// <param name="args">Command-line configuration, as <c>dotnet run --project silo -- ...</c> takes it.</param>
    /// <param name="configure">Runs last, before the host is built: tests add probes (a grain call filter) to the real silo here.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure)
    {
        var builder = CreateBuilder(args);
        builder.AddMatchmakerHttp(HttpOptions.SiloDefaultPort);
        builder.AddMatchmakerShutdown();
        builder.AddMatchmakerOrleans();
        builder.Services.AddMatchmakerGrains(builder.Configuration);
        builder.AddMatchmakerMetrics();
        if (builder.Configuration.GetValue("Gateway:Enabled", true))
        {
            builder.Services.AddMatchmakerGateway(builder.Configuration);
        }

        if (builder.Configuration.GetValue("Relay:Enabled", true))
        {
            builder.Services.AddMatchmakerRelay(builder.Configuration);
        }

        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapMatchmakerEndpoints();
        return app;
    }

    /// <summary>The silo's configuration without building the silo: <c>migrate</c> reads exactly what the silo would.</summary>
    public static IConfiguration Configuration(string[] args) => CreateBuilder(args).Configuration;

    // The silo's own folder, not the working directory, so its appsettings.json is found however it is started.
    private static WebApplicationBuilder CreateBuilder(string[] args) =>
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
}
