using Matchmaker.Bench.Soak;
using Matchmaker.Tests.Cluster;
using Matchmaker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Matchmaker.Tests.Soak;

/// <summary>
/// The short version of the bench's soak (docs/reliability.md has the 10-minute, 10 000-player run):
/// a silo in its own process, a thousand simulated players heartbeating and churning lobbies over real
/// loopback UDP for 75 s. Every request must be answered without error, and once the ramp is over the
/// silo's live heap (measured after a full collection the soak induces) may grow by at most 16 MiB and
/// its resident memory by at most 48 MiB: state is soft and bounded, so a flat line. A leak of even a
/// few hundred bytes per request (28 000 of them) would break the first bound.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private const long MaxGrowthBytes = 48L << 20;
    private const long MaxLiveHeapGrowthBytes = 16L << 20;

    [Fact]
    public async Task A_thousand_heartbeating_players_with_lobby_churn_cause_no_error_and_bounded_memory_growth()
    {
        var (gatewayPort, alternatePort, http) = (FreePorts.Udp(), FreePorts.Udp(), FreePorts.Tcp());
        await using var silo = ChildProcess.Start("silo", "dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "Matchmaker.Silo.dll"),
            "--Gateway:Address=127.0.0.1", $"--Gateway:Port={gatewayPort}", $"--Gateway:AlternatePort={alternatePort}", $"--Http:Port={http}",
            $"--Orleans:SiloPort={FreePorts.Tcp()}", $"--Orleans:GatewayPort={FreePorts.Tcp()}",
            "--Players:HeartbeatInterval=00:00:05", "--Logging:LogLevel:Default=Warning",

            // No relays in the soak; the embedded one would take the default relay port from anything else running.
            "--Relay:Enabled=false",
        ]);
        await WaitReadyAsync(silo, http);

        var result = await new SoakRunner(new SoakOptions
        {
            Server = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, gatewayPort),
            ProcessId = silo.Id,
            Players = 1_000,
            Duration = TimeSpan.FromSeconds(75),
            Ramp = TimeSpan.FromSeconds(10),
            SampleInterval = TimeSpan.FromSeconds(5),
            LobbyLifetime = TimeSpan.FromSeconds(8),
            Metrics = new Uri($"http://127.0.0.1:{http}/metrics"),
        }).RunAsync();

        foreach (var sample in result.Samples)
        {
            output.WriteLine($"{sample.ElapsedSeconds,5} s  rss {sample.RssBytes >> 20,4} MiB  live heap {sample.GcHeapBytes / 1048576.0,6:0.0} MiB  requests {sample.Requests,7}  errors {sample.Errors}  lobbies {sample.LobbiesOpened}  players {sample.PlayersRegistered}");
        }

        Assert.True(result.Errors == 0, string.Join(", ", result.ErrorsByKind.Select(e => $"{e.Key}: {e.Value}")));
        Assert.Equal(1_000, result.Samples[^1].PlayersRegistered);
        Assert.True(result.LobbiesOpened >= 500, $"only {result.LobbiesOpened} lobbies opened");
        Assert.NotNull(result.Baseline);
        Assert.True(result.RssGrowthBytes <= MaxGrowthBytes, $"RSS grew {result.RssGrowthBytes >> 20} MiB after the ramp");
        Assert.True(result.Baseline.GcHeapBytes > 0, "no live-heap figure at the baseline");
        Assert.True(result.GcHeapGrowthBytes <= MaxLiveHeapGrowthBytes, $"the live heap grew {result.GcHeapGrowthBytes / 1048576.0:0.0} MiB after the ramp");
    }

    private static async Task WaitReadyAsync(ChildProcess silo, int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await silo.WaitReadyAsync(http, port, TimeSpan.FromSeconds(90));
    }
}
