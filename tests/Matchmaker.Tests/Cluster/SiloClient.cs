using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Matchmaker.Tests.Cluster;

/// <summary>
/// An Orleans client pinned to one silo's client gateway (static clustering: no database), so a test can
/// ask the cluster the same question through each silo, and keep asking while PostgreSQL is down.
/// </summary>
internal sealed class SiloClient : IAsyncDisposable
{
    private readonly IHost _host;

    private SiloClient(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public IGrainFactory Grains => Client;

    public static async Task<SiloClient> ConnectAsync(string clusterId, int orleansGatewayPort)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddOrleansClient(client => client
            .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, orleansGatewayPort))
            .Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = "matchmaker";
            }));
        var host = builder.Build();
        await host.StartAsync();
        return new SiloClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
