using Matchmaker.Grains.Models;

namespace Matchmaker.Grains;

/// <summary>
/// Where a session asks for a relay (key: 0; a stateless worker, so every silo has local activations).
/// Picks the least-loaded live node from a cached registry snapshot. Null when no node can take it.
/// </summary>
[Alias("Matchmaker.IRelayDirectoryGrain")]
public interface IRelayDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Reserve")]
    Task<RelayReservation?> ReserveAsync(RelayRequest request);
}
