using System.Diagnostics;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// The network-namespace NAT lab (tests/natlab/natlab.sh) with the real silo running in its gateway host
/// on two public IPs, so RFC 5780 classification and punching cross real nftables NATs. The lab is owned
/// by this test process: if the run dies, the next <c>up</c> removes what it left.
/// Relays run as two separate relay processes in the gateway host, one per public IP, so a test can
/// kill one and watch the cluster move on to the other.
/// </summary>
public sealed class NatLabFixture : IAsyncLifetime
{
    /// <summary>The relay nodes' names and the gateway-host address each listens on (filled in from the lab's env).</summary>
    private readonly Dictionary<string, (string Address, Process? Process)> _relays = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _oneIpGate = new(1, 1);
    private Process? _silo;
    private OneIpGatewayCluster? _oneIp;

    public IReadOnlyDictionary<string, string> Env { get; private set; } = new Dictionary<string, string>();

    public string Script { get; } = FindScript();

    public string Gateway => $"{Env["NATLAB_GW_IP4"]}:{Env["NATLAB_STUN_PORT"]}";

    public async Task InitializeAsync()
    {
        await RunAsync("bash", Script, "up", "--owner", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Env = (await RunAsync("bash", Script, "env"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "netns", "exec", Env["NATLAB_GW_NS"], "dotnet", Path.Combine(AppContext.BaseDirectory, "Matchmaker.Silo.dll"),
            $"--Gateway:Address={Env["NATLAB_GW_IP4"]}", $"--Gateway:AlternateAddress={Env["NATLAB_GW_IP4_ALT"]}",
            $"--Gateway:Address6={Env["NATLAB_GW_IP6"]}",
            "--Logging:LogLevel:Default=Warning", "--Relay:Enabled=false", "--RelayDirectory:DeadAfter=00:00:03",

            // Queue tests wait for widening across regions and NAT buckets; seconds, not the default tens.
            "--Queues:RegionWideningDelay=00:00:01", "--Queues:BucketWideningDelay=00:00:02", "--Queues:SweepInterval=00:00:00.200",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _silo = Process.Start(start)!;
        _silo.OutputDataReceived += (_, _) => { };
        _silo.ErrorDataReceived += (_, _) => { };
        _silo.BeginOutputReadLine();
        _silo.BeginErrorReadLine();
        await WaitUntilReadyAsync();
        _relays["relay-a"] = (Env["NATLAB_GW_IP4"], null);
        _relays["relay-b"] = (Env["NATLAB_GW_IP4_ALT"], null);
        foreach (var name in _relays.Keys.ToArray())
        {
            await StartRelayAsync(name);
        }
    }

    /// <summary>The relay node listening on <paramref name="endpoint"/>'s address, by name.</summary>
    public string RelayAt(string endpoint) => _relays.Single(r => endpoint.StartsWith(r.Value.Address + ":", StringComparison.Ordinal)).Key;

    /// <summary>Kills a relay node outright (no goodbye to the cluster), as a crash or a lost machine would.</summary>
    public async Task KillRelayAsync(string name)
    {
        var process = _relays[name].Process!;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        _relays[name] = (_relays[name].Address, null);
    }

    /// <summary>Starts a relay process and returns once it has registered with the cluster (its log says so).</summary>
    public async Task StartRelayAsync(string name)
    {
        var address = _relays[name].Address;
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "netns", "exec", Env["NATLAB_GW_NS"], "dotnet", Path.Combine(AppContext.BaseDirectory, "Matchmaker.Relay.dll"),
            $"--Relay:NodeId={name}", $"--Relay:Address={address}", "--Relay:AllowDocumentationRanges=true",
            "--Relay:HeartbeatInterval=00:00:00.500", $"--Http:Port={(name == "relay-a" ? 9466 : 9467)}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Matchmaker.Relay.RelayHeartbeatService=Information",
            "--Logging:Console:FormatterName=simple", "--Logging:Console:FormatterOptions:SingleLine=true",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("registered with the cluster", StringComparison.Ordinal) == true)
            {
                registered.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _relays[name] = (address, process);
        await registered.Task.WaitAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>
    /// The primary endpoint of a second cluster whose two gateway nodes have one IP each (started on
    /// first use, as only some tests need it): see <see cref="OneIpGatewayCluster"/>.
    /// </summary>
    public async Task<string> OneIpGatewayAsync()
    {
        await _oneIpGate.WaitAsync();
        try
        {
            _oneIp ??= await OneIpGatewayCluster.StartAsync(Env);
            return $"{Env["NATLAB_GW_IP4"]}:{OneIpGatewayCluster.Port}";
        }
        finally
        {
            _oneIpGate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var name in _relays.Keys.ToArray())
        {
            if (_relays[name].Process is not null)
            {
                await KillRelayAsync(name);
            }
        }

        if (_oneIp is not null)
        {
            await _oneIp.DisposeAsync();
        }

        if (_silo is not null)
        {
            _silo.Kill(entireProcessTree: true);
            await _silo.WaitForExitAsync();
            _silo.Dispose();
        }

        await RunAsync("bash", Script, "down");
    }

    /// <summary>
    /// miniupnpc's <c>upnpc</c>, a third-party UPnP client, run in the UPnP router's LAN host against the IGD
    /// (<c>-i</c>: its external address is a documentation address, which upnpc otherwise refuses).
    /// </summary>
    public Task<string> UpnpcAsync(params string[] arguments) =>
        RunAsync("ip", ["netns", "exec", Env["NATLAB_UPNP_NS"], "upnpc", "-i", "-u", Env["NATLAB_UPNP_IGD_URL"], .. arguments]);

    /// <summary>Every port mapping the lab's IGD holds, as <c>upnpc -l</c> lists them.</summary>
    public async Task<IReadOnlyList<UpnpMapping>> UpnpMappingsAsync() =>
        (await UpnpcAsync("-l")).Split('\n').Select(UpnpMapping.TryParse).OfType<UpnpMapping>().ToList();

    /// <summary>The wrapper that runs a command inside a lab host's namespace.</summary>
    public string[] In(string host) => ["bash", Script, "exec", host, "--"];

    public static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stdout}{await stderr}");
        }

        return await stdout;
    }

    /// <summary>Readiness is a real grain call (/health/ready) made inside the gateway's namespace.</summary>
    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                await RunAsync("ip", "netns", "exec", Env["NATLAB_GW_NS"], "curl", "-sf", "-m", "2", "http://127.0.0.1:9464/health/ready");
                return;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline && !_silo!.HasExited)
            {
                // Not ready yet: curl itself paces the loop (it waits for the connection attempt).
            }
        }
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "natlab", "natlab.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tests/natlab/natlab.sh not found above the test output folder.");
    }
}
