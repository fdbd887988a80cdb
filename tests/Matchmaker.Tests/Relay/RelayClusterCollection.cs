using Matchmaker.Tests.Grains;

namespace Matchmaker.Tests.Relay;

/// <summary>
/// Relay directory tests get a cluster of their own: the node registry is cluster-wide, and a node
/// registered here must not offer other tests a relay where they expect none.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RelayClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Orleans cluster with relay nodes";
}
