namespace Matchmaker.Tests.Grains;

/// <summary>The grain test cluster with production's renewal lease: three heartbeat intervals.</summary>
public sealed class LeaseClusterFixture : ClusterFixture
{
    public LeaseClusterFixture()
        : base(3)
    {
    }
}
