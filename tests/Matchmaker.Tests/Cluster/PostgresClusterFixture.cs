using System.Net;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Cluster;

/// <summary>
/// The production shape on one machine, every part its own process: PostgreSQL, the schema applied by
/// <c>migrate</c>, two silos without gateways or relays (AdoNet clustering, distinct ports), one
/// stand-alone gateway process and one stand-alone relay process that reach them as Orleans clients.
/// Tests may start more silos and gateways (<see cref="StartSiloAsync"/>, <see cref="StartGatewayAsync"/>)
/// to kill or stop them; the two base silos and the gateway stay up for every test, and a test that
/// kills the relay restarts it on the same port (<see cref="RestartRelayAsync"/>).
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    /// <summary>
    /// Shorter than production (15 s) so failover tests finish in seconds; failure detection keeps the
    /// production defaults, so the recovery the tests measure is the one operators get, less 10 s of heartbeat.
    /// </summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The relay's load report period; the silos declare a relay dead after <see cref="RelayDeadAfter"/>,
    /// five missed reports (production: 5 s and 15 s), so relay tests finish in seconds.
    /// </summary>
    public static readonly TimeSpan RelayHeartbeatInterval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan RelayDeadAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What failover tests add to a bound derived from the design: two shared cores run silos, gateway,
    /// relay, PostgreSQL and the clients, so this is allowance for scheduling, not for the design.
    /// </summary>
    public static readonly TimeSpan SchedulingSlack = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private PostgresServer? _postgres;
    private string[] _cluster = [];

    public IPEndPoint Gateway { get; private set; } = null!;

    public string ConnectionString => _postgres!.ConnectionString;

    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}";

    /// <summary>The two silos that live as long as the fixture.</summary>
    internal IReadOnlyList<ClusterMember> Silos { get; private set; } = [];

    internal ClusterMember GatewayProcess { get; private set; } = null!;

    /// <summary>The relay process's UDP endpoint (loopback, so its relayed flows are allowed to loopback).</summary>
    public IPEndPoint Relay { get; private set; } = null!;

    internal ClusterMember RelayProcess { get; private set; } = null!;

    internal PostgresServer Postgres => _postgres!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _cluster =
        [
            "--Orleans:Clustering=AdoNet", $"--ConnectionStrings:Orleans={_postgres.ConnectionString}",
            $"--Orleans:ClusterId={ClusterId}", "--Logging:LogLevel:Default=Warning",
            $"--Players:HeartbeatInterval={HeartbeatInterval}", "--Orleans:IAmAlivePeriod=00:00:02",
            "--Orleans:GatewayListRefreshPeriod=00:00:02", $"--RelayDirectory:DeadAfter={RelayDeadAfter}",
        ];

        // Twice: the schema script must be idempotent.
        await ChildProcess.RunAsync("migrate", "dotnet", [Binary("Matchmaker.Silo"), "migrate", .. _cluster], ReadyTimeout);
        await ChildProcess.RunAsync("migrate again", "dotnet", [Binary("Matchmaker.Silo"), "migrate", .. _cluster], ReadyTimeout);

        var silos = await Task.WhenAll(StartSiloAsync("silo 0"), StartSiloAsync("silo 1"));
        Silos = silos;
        Gateway = new IPEndPoint(IPAddress.Loopback, FreePorts.Udp());
        GatewayProcess = await StartGatewayAsync("gateway", Gateway.Port);
        Relay = new IPEndPoint(IPAddress.Loopback, FreePorts.Udp());
        RelayProcess = await StartRelayAsync("relay");
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

    /// <summary>Starts one more silo (no UDP gateway) and waits until it serves grain calls.</summary>
    internal async Task<ClusterMember> StartSiloAsync(string name, params string[] extra)
    {
        var member = new ClusterMember(null!, FreePorts.Tcp(), FreePorts.Tcp(), FreePorts.Tcp());
        member = member with
        {
            Process = Start(name, "Matchmaker.Silo",
            [
                .. _cluster, "--Gateway:Enabled=false", "--Relay:Enabled=false", $"--Http:Port={member.HttpPort}",
                $"--Orleans:SiloPort={member.SiloPort}", $"--Orleans:GatewayPort={member.OrleansGatewayPort}", .. extra,
            ]),
        };
        await WaitReadyAsync(member);
        return member;
    }

    /// <summary>Starts a gateway process on the given UDP port of 127.0.0.1 and waits until its cluster client is up.</summary>
    internal async Task<ClusterMember> StartGatewayAsync(string name, int udpPort, params string[] extra)
    {
        var member = new ClusterMember(null!, FreePorts.Tcp(), 0, 0);
        member = member with
        {
            Process = Start(name, "Matchmaker.Gateway",
            [
                .. _cluster, $"--Http:Port={member.HttpPort}", "--Gateway:Address=127.0.0.1",
                $"--Gateway:Port={udpPort}", $"--Gateway:AlternatePort={FreePorts.Udp()}", .. extra,
            ]),
        };
        await WaitReadyAsync(member);
        return member;
    }

    /// <summary>
    /// Starts the relay process again on <see cref="Relay"/>'s port after a test killed it. Like any
    /// restarted relay it is a new node: a fresh node id and token secret.
    /// </summary>
    internal async Task<ClusterMember> RestartRelayAsync()
    {
        RelayProcess = await StartRelayAsync("restarted relay");
        return RelayProcess;
    }

    /// <summary>
    /// Starts a relay process on <see cref="Relay"/> (node id left to its default, fresh per process) and
    /// waits until its cluster client is up; registering is the test's to observe.
    /// </summary>
    private async Task<ClusterMember> StartRelayAsync(string name)
    {
        var member = new ClusterMember(null!, FreePorts.Tcp(), 0, 0);
        member = member with
        {
            Process = Start(name, "Matchmaker.Relay",
            [
                .. _cluster, $"--Http:Port={member.HttpPort}", $"--Relay:Address={Relay.Address}", $"--Relay:Port={Relay.Port}",
                "--Relay:AllowLoopback=true", $"--Relay:HeartbeatInterval={RelayHeartbeatInterval}",
            ]),
        };
        await WaitReadyAsync(member);
        return member;
    }

    /// <summary>The silo and gateway builds the test project already references, run from its output folder.</summary>
    private static string Binary(string assembly) => Path.Combine(AppContext.BaseDirectory, assembly + ".dll");

    private static async Task WaitReadyAsync(ClusterMember member)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await member.Process.WaitReadyAsync(http, member.HttpPort, ReadyTimeout);
    }

    /// <summary>True for 200, false for 503, null when nothing answered (not listening, or a grain call still waiting).</summary>
    internal static async Task<bool?> ReadinessAsync(HttpClient http, ClusterMember member)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(member.Http, "/health/ready"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private ChildProcess Start(string name, string assembly, IEnumerable<string> arguments)
    {
        var process = ChildProcess.Start(name, "dotnet", [Binary(assembly), .. arguments]);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }
}
