using System.Text;
using Matchmaker.Client;
using Matchmaker.Tests.EndToEnd;
using Npgsql;

namespace Matchmaker.Tests.Cluster;

[Trait("Category", "Postgres")]
[Collection(PostgresClusterCollection.Name)]
public sealed class PostgresClusterTests(PostgresClusterFixture cluster)
{
    [Fact]
    public async Task Both_silos_are_active_in_the_postgres_membership_table()
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Status = 3");
        command.Parameters.AddWithValue("cluster", cluster.ClusterId);

        var active = Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(2, active);
    }

    [Fact]
    public async Task The_relay_process_registers_with_the_cluster_and_serves_the_reservations_it_makes()
    {
        await using var viaSilo0 = await SiloClient.ConnectAsync(cluster.ClusterId, cluster.Silos[0].OrleansGatewayPort);

        // The silos run with Relay:Enabled=false, so the one node listed is the relay process.
        var registered = await ClusterRelay.NodesUntilAsync(viaSilo0.Grains, nodes => nodes.Length == 1, TimeSpan.FromSeconds(30));
        Assert.NotNull(registered);
        var node = Assert.Single(registered.Value.Nodes);
        Assert.Equal(10_000, node.Capacity);
        var reservation = await ClusterRelay.ReserveAsync(viaSilo0.Grains);
        Assert.NotNull(reservation);
        Assert.Equal(node.NodeId, reservation.NodeId);
        Assert.Equal(cluster.Relay, reservation.ForA.Endpoint);
        Assert.Equal(cluster.Relay, reservation.ForB.Endpoint);

        // Tokens the cluster minted from the node's heartbeat open an allocation on the relay process.
        var (atB, atA) = await ClusterRelay.ExchangeAsync(reservation);

        Assert.Equal("from a", atB);
        Assert.Equal("from b", atA);
    }

    [Fact]
    public async Task Players_meet_through_a_gateway_process_and_a_two_silo_cluster()
    {
        await using var host = await MatchmakerClient.ConnectAsync(new() { Server = cluster.Gateway });
        await using var joiner = await MatchmakerClient.ConnectAsync(new() { Server = cluster.Gateway });

        var lobby = await host.HostAsync("cluster", maxPlayers: 2);
        var joined = await joiner.JoinAsync(lobby.Code);
        var hostSide = (await host.NextAsync<PeerConnected>()).Peer;
        var joinerSide = (await joiner.NextAsync<PeerConnected>()).Peer;
        hostSide.Send("hello joiner"u8);
        joinerSide.Send("hello host"u8);

        Assert.Equal(lobby.Code, joined.Code);
        Assert.Equal(joiner.PlayerId, hostSide.PeerId);
        Assert.Equal("hello joiner", Encoding.UTF8.GetString((await joiner.NextAsync<PeerMessageReceived>()).Data.Span));
        Assert.Equal("hello host", Encoding.UTF8.GetString((await host.NextAsync<PeerMessageReceived>()).Data.Span));
    }
}
