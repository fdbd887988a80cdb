using System.Net;
using Matchmaker.Tests.Cluster;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Observability;

/// <summary>
/// The production shape on loopback: a silo process (no gateway in it) and a separate gateway process,
/// each serving /metrics, and a real Prometheus scraping both under the job names the ServiceMonitor
/// gives them in Kubernetes (matchmaker-silo, matchmaker-gateway), so the dashboard's queries apply as written.
/// </summary>
public sealed class ObservedClusterFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private PrometheusServer? _prometheus;

    public IPEndPoint Gateway { get; private set; } = null!;

    internal PrometheusServer Prometheus => _prometheus!;

    public async Task InitializeAsync()
    {
        var siloHttp = FreePorts.Tcp();
        var orleansGateway = FreePorts.Tcp();
        var silo = Start("silo", "Matchmaker.Silo",
        [
            "--Gateway:Enabled=false", $"--Http:Port={siloHttp}", $"--Orleans:SiloPort={FreePorts.Tcp()}",
            $"--Orleans:GatewayPort={orleansGateway}", "--Logging:LogLevel:Default=Warning",
        ]);
        var gatewayHttp = FreePorts.Tcp();
        Gateway = new IPEndPoint(IPAddress.Loopback, FreePorts.Udp());
        var gateway = Start("gateway", "Matchmaker.Gateway",
        [
            $"--Orleans:GatewayPort={orleansGateway}", $"--Http:Port={gatewayHttp}", "--Gateway:Address=127.0.0.1",
            $"--Gateway:Port={Gateway.Port}", $"--Gateway:AlternatePort={FreePorts.Udp()}", "--Logging:LogLevel:Default=Warning",
        ]);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await silo.WaitReadyAsync(http, siloHttp, ReadyTimeout);
        await gateway.WaitReadyAsync(http, gatewayHttp, ReadyTimeout);
        _prometheus = await PrometheusServer.StartAsync([("matchmaker-silo", siloHttp), ("matchmaker-gateway", gatewayHttp)]);
    }

    public async Task DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    private ChildProcess Start(string name, string assembly, IEnumerable<string> arguments)
    {
        var process = ChildProcess.Start(name, "dotnet", [Path.Combine(AppContext.BaseDirectory, assembly + ".dll"), .. arguments]);
        _processes.Add(process);
        return process;
    }
}
