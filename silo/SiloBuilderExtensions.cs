using System.Net;
using Matchmaker.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Orleans.Configuration;

namespace Matchmaker.Silo;

/// <summary>The host set-up steps, one extension each, so Program.cs stays a list of calls (as eShop's ServiceDefaults).</summary>
public static class SiloBuilderExtensions
{
    public static WebApplicationBuilder AddMatchmakerOrleans(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiloOptions>().Bind(builder.Configuration.GetSection(SiloOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var silo = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        // AddOrleans, not UseOrleans: UseOrleans hands Orleans the "Orleans" section, whose own config-driven
        // providers would read our Orleans:Clustering value as a provider section. Everything is configured here.
        if (silo.Clustering == ClusteringMode.Localhost)
        {
            if (silo.KubernetesHosting)
            {
                throw new InvalidOperationException("Orleans:KubernetesHosting requires Orleans:Clustering=AdoNet: Kubernetes hosting does not provide membership.");
            }

            builder.Services.AddOrleans(orleans =>
                orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, null, silo.ServiceId, silo.ClusterId).ConfigureFailureDetection(silo));
            return builder;
        }

        var connectionString = RequireConnectionString(builder.Configuration);
        if (!IPAddress.TryParse(silo.AdvertisedIPAddress ?? "127.0.0.1", out var advertised))
        {
            throw new InvalidOperationException($"Orleans:AdvertisedIPAddress '{silo.AdvertisedIPAddress}' is not an IP address.");
        }

        builder.Services.AddOrleans(orleans =>
        {
            orleans.UseAdoNetClustering(ado =>
            {
                ado.Invariant = OrleansClusterOptions.AdoNetInvariant;
                ado.ConnectionString = connectionString;
            });
            if (silo.KubernetesHosting)
            {
                // Identity and addresses from the pod (downward API); only the ports are ours.
                orleans.Configure<EndpointOptions>(endpoints =>
                {
                    endpoints.SiloPort = silo.SiloPort;
                    endpoints.GatewayPort = silo.GatewayPort;
                });
                orleans.UseKubernetesHosting();
                return;
            }

            orleans.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = silo.ClusterId;
                cluster.ServiceId = silo.ServiceId;
            });
            // Listen on every interface but advertise one address: a pod's IP is not bindable by name alone,
            // and the membership table must hold an address the other silos can reach.
            orleans.ConfigureEndpoints(advertised, silo.SiloPort, silo.GatewayPort, listenOnAnyHostAddress: true);
            orleans.ConfigureFailureDetection(silo);
        });
        return builder;
    }

    private static ISiloBuilder ConfigureFailureDetection(this ISiloBuilder orleans, SiloOptions silo)
    {
        orleans.Configure<ClusterMembershipOptions>(membership =>
        {
            membership.ProbeTimeout = silo.ProbeTimeout;
            membership.NumMissedProbesLimit = silo.MissedProbesLimit;
            membership.IAmAliveTablePublishTimeout = silo.IAmAlivePeriod;
        });
        orleans.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = silo.ResponseTimeout);
        return orleans;
    }

    /// <summary>The one place the AdoNet connection string is required, so silo and <c>migrate</c> fail alike.</summary>
    public static string RequireConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Orleans");
        return string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException("ConnectionStrings:Orleans is required when Orleans:Clustering is AdoNet.")
            : connectionString;
    }

    public static WebApplicationBuilder AddMatchmakerMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddMatchmakerMetrics();
        return builder;
    }
}
