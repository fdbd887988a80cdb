using Matchmaker.Grains.Models;

namespace Matchmaker.Grains;

/// <summary>
/// Where a session asks for a relay (key: 0; a stateless worker, so every silo has local activations).
/// Takes the pair's share of each player's cluster-wide cap, then picks the least-loaded live node from a
/// cached registry snapshot; refused when either player is at the cap or no node can take it.
/// </summary>
[Alias("Matchmaker.IRelayDirectoryGrain")]
public interface IRelayDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Reserve")]
    Task<RelayGrant> ReserveAsync(RelayRequest request);
}
