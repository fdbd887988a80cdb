namespace Matchmaker.Grains.Models;

/// <summary>A live relay node as the registry lists it: enough to pick the least loaded.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.RelayNodeLoad")]
public sealed record RelayNodeLoad(
    [property: Id(0)] string NodeId,
    [property: Id(1)] int Capacity,
    [property: Id(2)] int Load)
{
    /// <summary>Free share of capacity: nodes of different sizes compare fairly.</summary>
    public double Headroom => Capacity <= 0 ? 0 : 1.0 - ((double)Load / Capacity);
}
