using System.Collections.Immutable;
using Matchmaker.Grains.Models;

namespace Matchmaker.Grains;

/// <summary>Read-mostly fan-out over the index shards; a stateless worker, so browsing scales with silos.</summary>
[Alias("Matchmaker.ILobbyBrowserGrain")]
public interface ILobbyBrowserGrain : IGrainWithIntegerKey
{
    [Alias("List")]
    Task<ImmutableArray<LobbySummary>> ListAsync(int max);
}
