using System.Diagnostics;
using Matchmaker.Protocol.Relay;
using Matchmaker.Tests.Infrastructure;
using Matchmaker.Tests.Relay;
using Xunit.Abstractions;

namespace Matchmaker.Tests.Cluster;

/// <summary>
/// The relay process dies without warning (SIGKILL) and is started again on the same port. The cluster's
/// relay directory drops the dead node once its heartbeats stop, offers no relay while there is none, and
/// admits the restarted process as a new node whose reservations carry relayed frames; tokens from the
/// dead node's life are refused by the new one (fresh secret). Relayed flows are failed, not moved (README).
/// </summary>
[Trait("Category", "Postgres")]
[Collection(PostgresClusterCollection.Name)]
public sealed class RelayRestartTests(PostgresClusterFixture cluster, ITestOutputHelper output)
{
    // The registry forgets a node whose last report is older than DeadAfter; a directory worker's copy is
    // at most a second older than that.
    private static readonly TimeSpan DropBound = PostgresClusterFixture.RelayDeadAfter + TimeSpan.FromSeconds(1);

    // A restarted node reports at once, and again every heartbeat interval if its cluster client was not yet connected.
    private static readonly TimeSpan AdmitBound = PostgresClusterFixture.RelayHeartbeatInterval * 2;

    private static readonly TimeSpan Slack = PostgresClusterFixture.SchedulingSlack;

    [Fact]
    public async Task A_SIGKILLed_relay_is_dropped_from_the_directory_and_its_restart_is_admitted_and_relays()
    {
        await using var viaSilo0 = await SiloClient.ConnectAsync(cluster.ClusterId, cluster.Silos[0].OrleansGatewayPort);
        var registered = await ClusterRelay.NodesUntilAsync(viaSilo0.Grains, nodes => nodes.Length == 1, TimeSpan.FromSeconds(30));
        Assert.NotNull(registered);
        var dead = Assert.Single(registered.Value.Nodes).NodeId;
        var before = await ClusterRelay.ReserveAsync(viaSilo0.Grains);
        Assert.Equal(dead, before?.NodeId);
        Assert.Equal<(string?, string?)>(("from a", "from b"), await ClusterRelay.ExchangeAsync(before!));

        var clock = Stopwatch.StartNew();
        await cluster.RelayProcess.Process.KillAsync();

        var dropped = await ClusterRelay.NodesUntilAsync(viaSilo0.Grains, nodes => nodes.All(n => n.NodeId != dead), DropBound + Slack);
        var droppedAfter = clock.Elapsed;
        Assert.NotNull(dropped);
        Assert.Empty(dropped.Value.Nodes);
        // With no relay alive, a relayed join is failed clearly rather than handed a dead node.
        Assert.True(await ClusterRelay.NoReservationWithinAsync(viaSilo0.Grains, TimeSpan.FromSeconds(1) + Slack), "the directory still offered the dead node");

        var restarted = await cluster.RestartRelayAsync();
        var readyAfter = clock.Elapsed;
        var admitted = await ClusterRelay.NodesUntilAsync(viaSilo0.Grains, nodes => nodes.Length == 1, AdmitBound + Slack);
        var admittedAfter = clock.Elapsed;
        Assert.NotNull(admitted);
        var reborn = Assert.Single(admitted.Value.Nodes).NodeId;
        Assert.NotEqual(dead, reborn);

        var after = await ClusterRelay.ReserveAsync(viaSilo0.Grains);
        Assert.NotNull(after);
        Assert.Equal(reborn, after.NodeId);
        Assert.Equal(cluster.Relay, after.ForA.Endpoint);
        Assert.Equal<(string?, string?)>(("from a", "from b"), await ClusterRelay.ExchangeAsync(after));
        var relayedAfter = clock.Elapsed;

        // A pass from the dead node's life binds nothing on the new one: its key derives from the old secret.
        var refused = await PrometheusScrape.ReadAsync(restarted.Http, "matchmaker_relay_drops_total", ("reason", "unauthenticated"));
        using var stale = new RelayTestClient(cluster.Relay, ClusterRelay.Ticket(before!.ForA));
        stale.Send(StaleBind(before.ForA.Token, before.ForA.Key));
        var counted = await Eventually.ReachesAsync(
            () => PrometheusScrape.ReadAsync(restarted.Http, "matchmaker_relay_drops_total", ("reason", "unauthenticated")),
            value => value >= refused + 1,
            TimeSpan.FromSeconds(10));

        output.WriteLine(
            $"relay SIGKILLed: dropped from the directory after {droppedAfter.TotalSeconds:F1} s (bound {DropBound.TotalSeconds:F0} s), " +
            $"restarted process ready after {readyAfter.TotalSeconds:F1} s, admitted as a new node after {admittedAfter.TotalSeconds:F1} s " +
            $"({(admittedAfter - readyAfter).TotalSeconds:F1} s after ready, bound {AdmitBound.TotalSeconds:F0} s), " +
            $"first relayed frames through it {relayedAfter.TotalSeconds:F1} s after the kill");
        Assert.True(droppedAfter < DropBound + Slack, $"dropped only after {droppedAfter}");
        Assert.True(admittedAfter - readyAfter < AdmitBound + Slack, $"admitted {admittedAfter - readyAfter} after ready");
        Assert.Equal(refused + 1, counted);
    }

    private static byte[] StaleBind(byte[] token, byte[] key)
    {
        var buffer = new byte[256];
        var length = RelayBindMessages.WriteRequest(buffer, token, key, new byte[Matchmaker.Protocol.Stun.StunHeader.TransactionIdLength]);
        return buffer[..length];
    }
}
