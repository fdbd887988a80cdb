namespace Matchmaker.Tests.Grains;

/// <summary>Tests that share the leasing cluster run one after another: they move its fake clock.</summary>
[CollectionDefinition(Name)]
public sealed class LeaseClusterCollection : ICollectionFixture<LeaseClusterFixture>
{
    public const string Name = "Orleans cluster with renewal leases";
}
