namespace Matchmaker.Tests.NatLab;

[CollectionDefinition(Name)]
public sealed class NatLabCollection : ICollectionFixture<NatLabFixture>
{
    public const string Name = "NAT lab";
}
