using System.Diagnostics;
using Matchmaker.Client;
using Matchmaker.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Matchmaker.Tests.Cluster;

/// <summary>
/// SIGTERM, as Kubernetes sends it: readiness turns false while the process still serves, work drains,
/// and a silo leaves membership itself (its row goes Dead with no suspicion votes) rather than waiting
/// for the others to detect it.
/// </summary>
[Trait("Category", "Postgres")]
[Collection(PostgresClusterCollection.Name)]
public sealed class GracefulShutdownTests(PostgresClusterFixture cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);

    private static readonly string[] Draining = ["--Shutdown:ReadinessDrain=00:00:01", "--Logging:LogLevel:Matchmaker=Information"];

    [Fact]
    public async Task A_terminated_silo_turns_unready_first_then_leaves_membership_as_dead_without_votes()
    {
        var silo = await cluster.StartSiloAsync("stopping silo", Draining);
        var clock = Stopwatch.StartNew();

        await silo.Process.TerminateAsync();
        var unreadyWhileRunning = await UnreadyBeforeExitAsync(silo);
        await silo.Process.WaitForExitAsync(StopBound);
        var stopped = clock.Elapsed;
        var (status, suspectTimes) = await MembershipRowAsync(silo.SiloPort);

        output.WriteLine($"silo stopped {stopped.TotalSeconds:F1} s after SIGTERM; membership status {status}");
        Assert.True(unreadyWhileRunning, "readiness did not turn false while the silo still ran");
        Assert.Equal(0, silo.Process.ExitCode);
        Assert.Equal(6, status);
        // Declared dead by the others would take two votes (the last voter writes Dead); a peer may still
        // cast one while the stopping silo no longer answers probes.
        Assert.True(Votes(suspectTimes) < 2, $"the silo was voted dead ({suspectTimes}), not shut down");
    }

    [Fact]
    public async Task A_terminated_gateway_turns_unready_first_keeps_answering_while_draining_and_exits_cleanly()
    {
        var udpPort = FreePorts.Udp();
        var gateway = await cluster.StartGatewayAsync("stopping gateway", udpPort, Draining);
        await using var player = await MatchmakerClient.ConnectAsync(new() { Server = new(System.Net.IPAddress.Loopback, udpPort), ClassifyNat = false });

        await gateway.Process.TerminateAsync();
        var unreadyWhileRunning = await UnreadyBeforeExitAsync(gateway);
        // Readiness is false but the process still serves until the readiness drain ends.
        var listed = await player.ListLobbiesAsync();
        await gateway.Process.WaitForExitAsync(StopBound);

        Assert.True(unreadyWhileRunning, "readiness did not turn false while the gateway still ran");
        Assert.NotNull(listed);
        Assert.Equal(0, gateway.Process.ExitCode);
        Assert.Contains("Gateway drained; 0 requests still in flight and 0 pushes unacknowledged", gateway.Process.Output, StringComparison.Ordinal);
    }

    private static int Votes(string? suspectTimes) =>
        string.IsNullOrEmpty(suspectTimes) ? 0 : suspectTimes.Split('|', StringSplitOptions.RemoveEmptyEntries).Length;

    private static async Task<bool> UnreadyBeforeExitAsync(ClusterMember member)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StopBound;
        while (DateTime.UtcNow < deadline && !member.Process.HasExited)
        {
            if (await PostgresClusterFixture.ReadinessAsync(http, member) == false)
            {
                return !member.Process.HasExited;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        return false;
    }

    private async Task<(int Status, string? SuspectTimes)> MembershipRowAsync(int siloPort)
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);
        await using var command = dataSource.CreateCommand(
            "SELECT Status, SuspectTimes FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Port = @port ORDER BY Generation DESC LIMIT 1");
        command.Parameters.AddWithValue("cluster", cluster.ClusterId);
        command.Parameters.AddWithValue("port", siloPort);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the silo has no membership row");
        return (reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }
}
