using Npgsql;

namespace Matchmaker.Tests.Cluster;

/// <summary>
/// The named queries' own contract, beyond what a healthy cluster exercises: the version row is created
/// once, and a membership write with a stale version is refused (Orleans' optimistic concurrency).
/// </summary>
[Trait("Category", "Postgres")]
[Collection(PostgresClusterCollection.Name)]
public sealed class MembershipQueriesTests(PostgresClusterFixture cluster)
{
    private readonly string _deployment = $"queries-{Guid.NewGuid():N}";

    [Fact]
    public async Task Version_row_is_created_only_by_the_first_caller()
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);

        var first = await RunAsync(dataSource, "InsertMembershipVersionKey", new());
        var second = await RunAsync(dataSource, "InsertMembershipVersionKey", new());

        Assert.True(first);
        Assert.False(second);
    }

    [Fact]
    public async Task Insert_with_a_stale_version_is_refused()
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);
        await RunAsync(dataSource, "InsertMembershipVersionKey", new());

        var fresh = await RunAsync(dataSource, "InsertMembershipKey", Member(port: 1, version: 0));
        var stale = await RunAsync(dataSource, "InsertMembershipKey", Member(port: 2, version: 0));
        var current = await RunAsync(dataSource, "InsertMembershipKey", Member(port: 2, version: 1));

        Assert.True(fresh);
        Assert.False(stale);
        Assert.True(current);
    }

    private static Dictionary<string, object> Member(int port, int version) => new()
    {
        ["Address"] = "127.0.0.1",
        ["Port"] = port,
        ["Generation"] = 1,
        ["SiloName"] = "silo",
        ["HostName"] = "host",
        ["Status"] = 3,
        ["ProxyPort"] = 0,
        ["StartTime"] = DateTime.UtcNow,
        ["IAmAliveTime"] = DateTime.UtcNow,
        ["Version"] = version,
    };

    private async Task<bool> RunAsync(NpgsqlDataSource dataSource, string key, Dictionary<string, object> parameters)
    {
        await using var lookup = dataSource.CreateCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key");
        lookup.Parameters.AddWithValue("key", key);
        var text = (string)(await lookup.ExecuteScalarAsync())!;

        await using var command = dataSource.CreateCommand(text);
        command.Parameters.AddWithValue("DeploymentId", _deployment);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
