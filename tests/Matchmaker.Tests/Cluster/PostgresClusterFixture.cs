using System.Net;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Cluster;

/// <summary>
/// The production shape on one machine, every part its own process: PostgreSQL, the schema applied by
/// <c>migrate</c>, two silos without gateways (AdoNet clustering, distinct ports) and one stand-alone
/// gateway process that reaches them as an Orleans client.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private PostgresServer? _postgres;

    public IPEndPoint Gateway { get; private set; } = null!;

    public string ConnectionString => _postgres!.ConnectionString;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        string[] cluster =
        [
            "--Orleans:Clustering=AdoNet", $"--ConnectionStrings:Orleans={_postgres.ConnectionString}",
            $"--Orleans:ClusterId=test-{Guid.NewGuid():N}", "--Logging:LogLevel:Default=Warning",
        ];

        // Twice: the schema script must be idempotent.
        await ChildProcess.RunAsync("migrate", "dotnet", [Binary("Matchmaker.Silo"), "migrate", .. cluster], ReadyTimeout);
        await ChildProcess.RunAsync("migrate again", "dotnet", [Binary("Matchmaker.Silo"), "migrate", .. cluster], ReadyTimeout);

        var silos = new List<(ChildProcess Process, int Http)>();
        for (var i = 0; i < 2; i++)
        {
            var httpPort = FreePorts.Tcp();
            silos.Add((Start($"silo {i}", "Matchmaker.Silo",
            [
                .. cluster, "--Gateway:Enabled=false", "--Relay:Enabled=false", $"--Http:Port={httpPort}",
                $"--Orleans:SiloPort={FreePorts.Tcp()}", $"--Orleans:GatewayPort={FreePorts.Tcp()}",
            ]), httpPort));
        }

        var gatewayHttp = FreePorts.Tcp();
        Gateway = new IPEndPoint(IPAddress.Loopback, FreePorts.Udp());
        var gateway = Start("gateway", "Matchmaker.Gateway",
        [
            .. cluster, $"--Http:Port={gatewayHttp}", "--Gateway:Address=127.0.0.1",
            $"--Gateway:Port={Gateway.Port}", $"--Gateway:AlternatePort={FreePorts.Udp()}",
        ]);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var (process, port) in silos.Append((gateway, gatewayHttp)))
        {
            await process.WaitReadyAsync(http, port, ReadyTimeout);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    /// <summary>The silo and gateway builds the test project already references, run from its output folder.</summary>
    private static string Binary(string assembly) => Path.Combine(AppContext.BaseDirectory, assembly + ".dll");

    private ChildProcess Start(string name, string assembly, IEnumerable<string> arguments)
    {
        var process = ChildProcess.Start(name, "dotnet", [Binary(assembly), .. arguments]);
        _processes.Add(process);
        return process;
    }
}
