using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Gateway;

/// <summary>
/// The gateway as its own process: an Orleans client of the cluster (same <c>Orleans:Clustering</c>
/// switch as the silo), the UDP gateway, and HTTP metrics and health on <c>Http:Port</c>.
/// </summary>
public static class GatewayHost
{
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromSeconds(1);

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // The silo's appsettings.json defaults, in code: an appsettings.json here would collide with the silo's in its output.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft.Orleans", LogLevel.Warning);
        builder.AddMatchmakerHttp(HttpOptions.GatewayDefaultPort);
        builder.AddMatchmakerShutdown();

        builder.Services.AddOptions<OrleansClusterOptions>().Bind(builder.Configuration.GetSection(OrleansClusterOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var cluster = builder.Configuration.GetSection(OrleansClusterOptions.Section).Get<OrleansClusterOptions>() ?? new OrleansClusterOptions();
        var connectionString = builder.Configuration.GetConnectionString("Orleans");
        // AddOrleansClient without configuration: Orleans would read our Orleans:Clustering value as its own provider section.
        builder.Services.AddOrleansClient(client =>
        {
            if (cluster.Clustering == ClusteringMode.AdoNet)
            {
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("ConnectionStrings:Orleans is required when Orleans:Clustering is AdoNet.");
                }

                client.UseAdoNetClustering(ado =>
                {
                    ado.Invariant = OrleansClusterOptions.AdoNetInvariant;
                    ado.ConnectionString = connectionString;
                });
                client.Configure<Orleans.Configuration.ClusterOptions>(options =>
                {
                    options.ClusterId = cluster.ClusterId;
                    options.ServiceId = cluster.ServiceId;
                });
            }
            else
            {
                client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
            }

            client.Configure<Orleans.Configuration.ClientMessagingOptions>(messaging => messaging.ResponseTimeout = cluster.ResponseTimeout);
            client.Configure<Orleans.Configuration.GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = cluster.GatewayListRefreshPeriod);

            // Silos may start after the gateway (or restart under it): keep trying rather than exit.
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                await Task.Delay(ConnectRetryDelay, cancellationToken);
                return true;
            });
        });
        builder.Services.AddMatchmakerGateway(builder.Configuration);
        builder.Services.AddMatchmakerMetrics();

        var app = builder.Build();
        app.MapMatchmakerEndpoints();
        return app;
    }
}
