using System.Collections.Immutable;
using Matchmaker.Grains.Models;

namespace Matchmaker.Grains;

/// <summary>One shard of the public lobby list.</summary>
public sealed class LobbyIndexGrain : Grain, ILobbyIndexGrain
{
    private readonly Dictionary<string, LobbySummary> _lobbies = new(StringComparer.Ordinal);

    public Task UpsertAsync(LobbySummary lobby)
    {
        _lobbies[lobby.Code] = lobby;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string lobbyCode)
    {
        _lobbies.Remove(lobbyCode);
        return Task.CompletedTask;
    }

    /// <summary>Only lobbies with room: a full lobby is no use to a browsing player.</summary>
    public Task<ImmutableArray<LobbySummary>> ListAsync(int max) =>
        Task.FromResult(_lobbies.Values.Where(l => l.Players < l.MaxPlayers).Take(max).ToImmutableArray());
}
