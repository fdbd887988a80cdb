using Orleans.Concurrency;

namespace Matchmaker.Grains;

/// <summary>
/// One player's relay allocations across every node (key: player id), so the per-player cap holds for
/// the cluster and not only per node: a player cannot add allocations by landing on another node. Taken
/// by the directory when it reserves, given back when the node reports the allocation closed, when nobody
/// bound it in time, or when its node is lost.
/// </summary>
[Alias("Matchmaker.IRelayQuotaGrain")]
public interface IRelayQuotaGrain : IGrainWithGuidKey
{
    /// <summary>False when the player already holds the cluster's cap; taking an allocation it holds again is true.</summary>
    [Alias("TryTake")]
    Task<bool> TryTakeAsync(Guid introductionId, DateTimeOffset until);

    [OneWay, Alias("Release")]
    Task ReleaseAsync(Guid introductionId);

    [AlwaysInterleave, Alias("Held")]
    Task<int> CountAsync();
}
