namespace Matchmaker.Tests.Observability;

[CollectionDefinition(Name)]
public sealed class ObservedClusterCollection : ICollectionFixture<ObservedClusterFixture>
{
    public const string Name = "Observed cluster";
}
