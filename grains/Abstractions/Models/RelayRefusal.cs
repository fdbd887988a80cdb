namespace Matchmaker.Grains.Models;

/// <summary>Why the cluster reserved no relay allocation for a pair.</summary>
[GenerateSerializer, Alias("Matchmaker.RelayRefusal")]
public enum RelayRefusal
{
    /// <summary>Reserved: not refused.</summary>
    None,

    /// <summary>No live relay node had room.</summary>
    NoNode,

    /// <summary>One of the pair holds <c>RelayDirectory:MaxAllocationsPerPlayer</c> allocations across the cluster.</summary>
    PlayerQuota,
}
