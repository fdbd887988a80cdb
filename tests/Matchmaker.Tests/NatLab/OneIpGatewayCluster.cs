using System.Security.Cryptography;
using Matchmaker.Tests.Cluster;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// A second Matchmaker cluster in the lab's gateway host, as Kubernetes would run it: every gateway node
/// has one IP and none has <c>Gateway:AlternateAddress</c>. The silo's own gateway listens on
/// 198.51.100.10 only and a separate gateway process (an Orleans client) on 198.51.100.11 only, both on
/// ports 3578/3579 (the two-IP silo of <see cref="NatLabFixture"/> keeps 3478/3479). They find each
/// other through the gateway directory grain and answer change-IP probes for each other.
/// </summary>
internal sealed class OneIpGatewayCluster : IAsyncDisposable
{
    public const int Port = 3578;
    public const int AlternatePort = 3579;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly List<ChildProcess> _processes = [];

    public static async Task<OneIpGatewayCluster> StartAsync(IReadOnlyDictionary<string, string> env)
    {
        var cluster = new OneIpGatewayCluster();
        try
        {
            string[] common =
            [
                $"--Gateway:Port={Port}", $"--Gateway:AlternatePort={AlternatePort}",
                $"--Gateway:Secret={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}",
                "--Gateway:PeerRefreshInterval=00:00:01",
                "--Orleans:ClusterId=one-ip", "--Orleans:ServiceId=one-ip", "--Orleans:GatewayPort=30001",
                "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Matchmaker.Gateway.PeerGateways=Information",
            ];
            var silo = cluster.Start("one-ip silo", env, "Matchmaker.Silo", [$"--Gateway:Address={env["NATLAB_GW_IP4"]}", "--Http:Port=9476", "--Orleans:SiloPort=11112", "--Relay:Enabled=false", .. common]);
            var gateway = cluster.Start("one-ip gateway", env, "Matchmaker.Gateway", [$"--Gateway:Address={env["NATLAB_GW_IP4_ALT"]}", "--Http:Port=9477", .. common]);

            // Each node logs how many peer addresses it knows; one each means they found each other.
            const string FoundOnePeer = "known for RFC 5780 change-IP: 1";
            await Task.WhenAll(silo.WaitForOutputAsync(FoundOnePeer, ReadyTimeout), gateway.WaitForOutputAsync(FoundOnePeer, ReadyTimeout));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    private ChildProcess Start(string name, IReadOnlyDictionary<string, string> env, string assembly, IEnumerable<string> arguments)
    {
        var process = ChildProcess.Start(name, "ip", ["netns", "exec", env["NATLAB_GW_NS"], "dotnet", Path.Combine(AppContext.BaseDirectory, assembly + ".dll"), .. arguments]);
        _processes.Add(process);
        return process;
    }
}
