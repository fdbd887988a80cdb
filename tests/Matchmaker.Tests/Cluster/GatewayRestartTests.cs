using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Matchmaker.Client;
using Matchmaker.Tests.EndToEnd;
using Matchmaker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Matchmaker.Tests.Cluster;

/// <summary>
/// A gateway process dies without warning (SIGKILL) while SDK clients heartbeat through it and hold a
/// lobby; a new gateway process starts on the same port with the cluster's shared <c>Gateway:Secret</c>.
/// The gateway holds no player state, so the clients' next heartbeats, signed with the keys they already
/// hold, are answered by the replacement: same player ids, the lobby still open under its code and
/// joinable through the new process, pushes reaching its old members through it.
/// </summary>
[Trait("Category", "Postgres")]
[Collection(PostgresClusterCollection.Name)]
public sealed class GatewayRestartTests(PostgresClusterFixture cluster, ITestOutputHelper output)
{
    // After the replacement is ready, every client sends within one heartbeat interval (if it was waiting
    // between beats) or within the longest retransmission gap of a heartbeat in flight (RFC 8489 doubling
    // from 500 ms inside the 10 s request timeout: 4 s; an unanswered heartbeat is followed at once).
    private static readonly TimeSpan RecoveryBound = PostgresClusterFixture.HeartbeatInterval + TimeSpan.FromSeconds(4);

    private static readonly TimeSpan Slack = PostgresClusterFixture.SchedulingSlack;

    [Fact]
    public async Task Players_of_a_SIGKILLed_gateway_come_back_through_its_replacement_with_their_ids_and_lobby()
    {
        var secret = $"--Gateway:Secret={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}";
        var port = FreePorts.Udp();
        var doomed = await cluster.StartGatewayAsync("doomed gateway", port, secret);
        await using var players = new ClusterPlayers(new IPEndPoint(IPAddress.Loopback, port));
        var code = await players.AddLobbyAsync("outlives its gateway");
        await players.AddIdleAsync(2);
        var (host, member, _) = players.Lobbies.Single();
        var clients = players.Expected.Select(e => e.Client).ToArray();
        var ids = clients.Select(c => c.PlayerId).ToArray();
        await using var viaSilo0 = await SiloClient.ConnectAsync(cluster.ClusterId, cluster.Silos[0].OrleansGatewayPort);
        Assert.True(await players.AllPresentAsync(viaSilo0.Grains));

        var clock = Stopwatch.StartNew();
        await doomed.Process.KillAsync();
        // The process is gone: any answer counted from here on comes from the replacement.
        var answered = clients.Select(c => c.HeartbeatsAnswered).ToArray();
        await cluster.StartGatewayAsync("replacement gateway", port, secret);
        var readyAfter = clock.Elapsed;

        var firstAnswer = new TimeSpan?[clients.Length];
        while (firstAnswer.Any(t => t is null) && clock.Elapsed < readyAfter + RecoveryBound + Slack)
        {
            for (var i = 0; i < clients.Length; i++)
            {
                if (firstAnswer[i] is null && clients[i].HeartbeatsAnswered > answered[i])
                {
                    firstAnswer[i] = clock.Elapsed;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        Assert.True(firstAnswer.All(t => t is not null), $"{firstAnswer.Count(t => t is null)} of {clients.Length} players had no heartbeat answered {clock.Elapsed} after the kill");
        var first = firstAnswer.Min()!.Value;
        var last = firstAnswer.Max()!.Value;
        output.WriteLine(
            $"gateway SIGKILLed with {clients.Length} players (one lobby of 2, {players.Idle.Count} idle): replacement ready after {readyAfter.TotalSeconds:F1} s; " +
            $"first heartbeat answered {first.TotalSeconds:F1} s after the kill, every player's {last.TotalSeconds:F1} s " +
            $"({(last - readyAfter).TotalSeconds:F1} s after ready, bound {RecoveryBound.TotalSeconds:F0} s)");
        Assert.True(last - readyAfter < RecoveryBound + Slack, $"the last player was answered {last - readyAfter} after the replacement was ready");

        // Nothing acknowledged was lost: the same ids registered, the lobby open with both and listed once.
        Assert.Equal(ids, clients.Select(c => c.PlayerId));
        Assert.True(await players.AllPresentAsync(viaSilo0.Grains), "a player or the lobby did not survive the gateway restart");
        Assert.True(await players.AllListedOnceAsync(viaSilo0.Grains), "the lobby is not listed exactly once");

        // The code still opens the lobby, through the replacement, and the old members hear of the newcomer through it.
        var newcomer = await players.ConnectAsync();
        var joined = await newcomer.JoinAsync(code);
        Assert.Equal(3, joined.Players);
        var met = await newcomer.CollectAsync(e => e is PeerConnected, 2);
        Assert.Equal(new[] { host.PlayerId, member.PlayerId }.Order(), met.Cast<PeerConnected>().Select(c => c.Peer.PeerId).Order());
        Assert.Equal(newcomer.PlayerId, (await host.NextAsync<PeerConnected>()).Peer.PeerId);
        Assert.Equal(newcomer.PlayerId, (await member.NextAsync<PeerConnected>()).Peer.PeerId);
    }
}
