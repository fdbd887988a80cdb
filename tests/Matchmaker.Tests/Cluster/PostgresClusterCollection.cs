namespace Matchmaker.Tests.Cluster;

/// <summary>One PostgreSQL and one multi-process cluster for every Postgres test: starting them is the slow part.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "Postgres cluster";
}
