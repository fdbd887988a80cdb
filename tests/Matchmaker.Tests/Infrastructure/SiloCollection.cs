namespace Matchmaker.Tests.Infrastructure;

/// <summary>End-to-end tests share one silo and run one after another, so counters they read are theirs alone.</summary>
[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "Embedded silo";
}
