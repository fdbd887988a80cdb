using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Gateway;

/// <summary>
/// The Orleans client set-up shared by the processes that run beside the cluster rather than in it (the
/// gateway and relay nodes): the same <c>Orleans:Clustering</c> switch as the silo, retrying until a silo answers.
/// </summary>
public static class ClusterClientExtensions
{
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromSeconds(1);

    public static WebApplicationBuilder AddMatchmakerClusterClient(this WebApplicationBuilder builder)
    {
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

            // Silos may start after this process (or restart under it): keep trying rather than exit.
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                await Task.Delay(ConnectRetryDelay, cancellationToken);
                return true;
            });
        });
        return builder;
    }
}
