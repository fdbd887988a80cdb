using Matchmaker.Tests.Infrastructure;
using Npgsql;

namespace Matchmaker.Tests.Cluster;

/// <summary>
/// PostgreSQL holds only membership: while it restarts, the running cluster keeps serving players, and
/// once it is back every silo writes its liveness to the table again.
/// </summary>
[Trait("Category", "Postgres")]
[Collection(PostgresClusterCollection.Name)]
public sealed class PostgresRestartTests(PostgresClusterFixture cluster)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Players_host_join_and_heartbeat_while_PostgreSQL_restarts_and_membership_is_written_again()
    {
        await using var players = new ClusterPlayers(cluster.Gateway);
        var before = await players.ConnectAsync();
        await using var viaSilo0 = await SiloClient.ConnectAsync(cluster.ClusterId, cluster.Silos[0].OrleansGatewayPort);

        await cluster.Postgres.StopAsync();
        var stoppedAt = DateTime.UtcNow;
        string code;
        try
        {
            var heartbeats = await HeartbeatsOkAsync();
            code = await players.AddLobbyAsync("while the database is down");
            await players.AddIdleAsync(1);

            // Every client heartbeats at least twice more, all answered, with the database still down.
            var wanted = heartbeats + (2 * 4);
            Assert.True(await EventuallyAsync(async () => await HeartbeatsOkAsync() >= wanted), "heartbeats stopped being answered");
            Assert.True(await players.AllPresentAsync(viaSilo0.Grains));
            Assert.Contains(code, (await before.ListLobbiesAsync()).Select(l => l.Code));
            Assert.True(await IsDownAsync(), "the database came back by itself");
        }
        finally
        {
            await cluster.Postgres.StartAgainAsync();
        }

        // Both base silos write I-am-alive again (every 2 s in the fixture) and stay active.
        Assert.True(await EventuallyAsync(async () => await AliveSinceAsync(stoppedAt) >= 2), "membership was not written again after the restart");
        Assert.True(await players.AllPresentAsync(viaSilo0.Grains));
        var after = await players.ConnectAsync();
        Assert.Contains(code, (await after.ListLobbiesAsync()).Select(l => l.Code));
    }

    private Task<double> HeartbeatsOkAsync() =>
        PrometheusScrape.ReadAsync(cluster.GatewayProcess.Http, "matchmaker_gateway_packets_total", ("type", "heartbeat"), ("result", "ok"));

    private async Task<bool> IsDownAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(cluster.ConnectionString + ";Pooling=false;Timeout=2");
            await connection.OpenAsync();
            return false;
        }
        catch (NpgsqlException)
        {
            return true;
        }
    }

    /// <summary>Active silos of this cluster whose I-am-alive time is later than <paramref name="since"/>; null while unreachable.</summary>
    private async Task<int> AliveSinceAsync(DateTime since)
    {
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);
            await using var command = dataSource.CreateCommand(
                "SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Status = 3 AND IAmAliveTime > @since");
            command.Parameters.AddWithValue("cluster", cluster.ClusterId);
            command.Parameters.AddWithValue("since", since);
            return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (NpgsqlException)
        {
            return 0;
        }
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        return false;
    }
}
