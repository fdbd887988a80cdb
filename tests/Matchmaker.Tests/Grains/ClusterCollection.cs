namespace Matchmaker.Tests.Grains;

/// <summary>
/// Tests that share one cluster run one after another: they move the shared fake clock.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Orleans cluster";
}
