using System.Diagnostics;
using System.Net;
using Matchmaker.Client;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Tests.EndToEnd;
using Npgsql;
using Xunit.Abstractions;

namespace Matchmaker.Tests.Cluster;

/// <summary>
/// A silo dies without warning (SIGKILL) while real clients heartbeat through the gateway process. The
/// players and lobbies whose grains lived on it come back from the soft state the heartbeats restate,
/// within the bound README states, and no lobby code is ever live in two activations.
/// </summary>
[Trait("Category", "Postgres")]
[Collection(PostgresClusterCollection.Name)]
public sealed class SiloFailoverTests(PostgresClusterFixture cluster, ITestOutputHelper output)
{
    // README's bound with the silos' failure detection (2 s probes, 3 missed, then the vote), the
    // fixture's 5 s heartbeat, and the 10 s a heartbeat caught by the dead silo can take to time out; the idle
    // players' registrations come back up to one renewal lease later (Players:LeaseHeartbeats, 3 intervals).
    private static readonly TimeSpan RecoveryBound = (TimeSpan.FromSeconds(2) * 4) + PostgresClusterFixture.HeartbeatInterval + TimeSpan.FromSeconds(10)
        + (PostgresClusterFixture.HeartbeatInterval * 3);

    private static readonly TimeSpan Slack = PostgresClusterFixture.SchedulingSlack;

    private const int MaxLobbies = 12;

    [Fact]
    public async Task Players_and_lobbies_on_a_SIGKILLed_silo_recover_and_no_code_is_ever_live_twice()
    {
        var victim = await cluster.StartSiloAsync("victim silo");
        await using var viaSilo0 = await SiloClient.ConnectAsync(cluster.ClusterId, cluster.Silos[0].OrleansGatewayPort);
        await using var viaSilo1 = await SiloClient.ConnectAsync(cluster.ClusterId, cluster.Silos[1].OrleansGatewayPort);
        var management = viaSilo0.Grains.GetGrain<IManagementGrain>(0);
        var victimAddress = (await management.GetHosts(onlyActive: true)).Keys.Single(silo => silo.Endpoint.Port == victim.SiloPort);
        await using var players = new ClusterPlayers(cluster.Gateway);
        await players.AddIdleAsync(4);

        // Placement is random: add lobbies until the victim holds at least one lobby and one player of them.
        var onVictim = new List<string>();
        while (players.Lobbies.Count < MaxLobbies && (players.Lobbies.Count < 4 || onVictim.Count == 0 || !await HostsPlayersAsync(management, victimAddress)))
        {
            var code = await players.AddLobbyAsync($"lobby {players.Lobbies.Count}");
            var activations = await management.GetDetailedGrainStatistics(null, [victimAddress]);
            onVictim = [.. players.Lobbies.Select(l => l.Code).Where(c => activations.Any(a => a.GrainType.Contains("SessionGrain", StringComparison.Ordinal) && a.GrainId.Key.ToString() == c))];
        }

        Assert.NotEmpty(onVictim);
        var clock = Stopwatch.StartNew();
        await victim.Process.KillAsync();

        var maxActivations = 0;
        var deadline = RecoveryBound + Slack;
        while (clock.Elapsed < deadline)
        {
            maxActivations = Math.Max(maxActivations, await MostActivationsOfAnyCodeAsync(viaSilo0.Grains, players));
            if (await players.AllPresentAsync(viaSilo0.Grains) && await players.AllPresentAsync(viaSilo1.Grains)
                && await players.AllListedOnceAsync(viaSilo0.Grains) && await players.AllListedOnceAsync(viaSilo1.Grains))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        var recovery = clock.Elapsed;
        output.WriteLine($"recovered {recovery.TotalSeconds:F1} s after SIGKILL (bound {RecoveryBound.TotalSeconds:F0} s): " +
            $"{players.Lobbies.Count} lobbies ({onVictim.Count} on the killed silo), {players.Expected.Count()} players");
        Assert.True(recovery < deadline, $"not recovered within {deadline}");

        // Exactly one activation per code now, and never more than one while recovering.
        maxActivations = Math.Max(maxActivations, await MostActivationsOfAnyCodeAsync(viaSilo0.Grains, players));
        Assert.Equal(1, maxActivations);
        // Each code is still its own host's: anyone else's claim to it is refused, through either silo.
        var intruder = new PeerCard(Guid.NewGuid(), new IPEndPoint(IPAddress.Loopback, 1), [], default);
        foreach (var (_, _, code) in players.Lobbies)
        {
            Assert.False(await viaSilo0.Grains.GetGrain<ISessionGrain>(code).RestoreHostAsync(intruder, new LobbySpec("intruder", 4)));
            Assert.False(await viaSilo1.Grains.GetGrain<ISessionGrain>(code).RestoreHostAsync(intruder, new LobbySpec("intruder", 4)));
        }

        Assert.Equal(6, await MembershipStatusAsync(victim.SiloPort));

        // A lobby whose grain died with the silo still takes a new player, who meets everyone in it.
        var (lostHost, lostMember, lostCode) = players.Lobbies.First(l => onVictim.Contains(l.Code));
        var newcomer = await players.ConnectAsync();
        Assert.Contains(lostCode, (await newcomer.ListLobbiesAsync()).Select(l => l.Code));
        var joined = await newcomer.JoinAsync(lostCode);
        Assert.Equal(3, joined.Players);
        var met = await newcomer.CollectAsync(e => e is PeerConnected, 2);
        Assert.Equal(
            new[] { lostHost.PlayerId, lostMember.PlayerId }.Order(),
            met.Cast<PeerConnected>().Select(c => c.Peer.PeerId).Order());
    }

    private static async Task<bool> HostsPlayersAsync(IManagementGrain management, SiloAddress silo) =>
        (await management.GetDetailedGrainStatistics(null, [silo])).Any(a => a.GrainType.Contains("PlayerGrain", StringComparison.Ordinal));

    private static async Task<int> MostActivationsOfAnyCodeAsync(IGrainFactory grains, ClusterPlayers players)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var most = 0;
        foreach (var (_, _, code) in players.Lobbies)
        {
            try
            {
                var session = (GrainReference)(object)grains.GetGrain<ISessionGrain>(code);
                most = Math.Max(most, await management.GetGrainActivationCount(session));
            }
            catch (Exception exception) when (exception is OrleansException or TimeoutException)
            {
                // A silo not yet declared dead does not answer; the next round asks again.
            }
        }

        return most;
    }

    private async Task<int> MembershipStatusAsync(int siloPort)
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Port = @port ORDER BY Generation DESC LIMIT 1");
        command.Parameters.AddWithValue("cluster", cluster.ClusterId);
        command.Parameters.AddWithValue("port", siloPort);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
