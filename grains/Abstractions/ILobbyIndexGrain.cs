using System.Collections.Immutable;
using Matchmaker.Grains.Models;

namespace Matchmaker.Grains;

/// <summary>One shard of the public lobby list (key: shard number), so no single grain sees every lobby change.</summary>
[Alias("Matchmaker.ILobbyIndexGrain")]
public interface ILobbyIndexGrain : IGrainWithIntegerKey
{
    [Alias("Upsert")]
    Task UpsertAsync(LobbySummary lobby);

    [Alias("Remove")]
    Task RemoveAsync(string lobbyCode);

    [Alias("List")]
    Task<ImmutableArray<LobbySummary>> ListAsync(int max);
}
