using System.Collections.Immutable;
using Matchmaker.Grains.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Matchmaker.Grains;

/// <summary>
/// One shard of the public lobby list. Entries are soft state like everything else: the host's heartbeat
/// rewrites its lobby's entry, and one not rewritten for a registration lifetime is dropped, so a lobby
/// lost with its silo (and never reopened) does not linger in the list.
/// </summary>
public sealed class LobbyIndexGrain(
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<PlayerOptions> options) : Grain, ILobbyIndexGrain
{
    private readonly Dictionary<string, (LobbySummary Lobby, DateTimeOffset WrittenAt)> _lobbies = new(StringComparer.Ordinal);

    public Task UpsertAsync(LobbySummary lobby)
    {
        _lobbies[lobby.Code] = (lobby, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string lobbyCode)
    {
        _lobbies.Remove(lobbyCode);
        return Task.CompletedTask;
    }

    /// <summary>Only lobbies with room: a full lobby is no use to a browsing player.</summary>
    public Task<ImmutableArray<LobbySummary>> ListAsync(int max)
    {
        var staleBefore = clock.GetUtcNow() - options.Value.RegistrationLifetime;
        foreach (var (code, entry) in _lobbies)
        {
            if (entry.WrittenAt < staleBefore)
            {
                _lobbies.Remove(code);
            }
        }

        return Task.FromResult(_lobbies.Values.Select(e => e.Lobby).Where(l => l.Players < l.MaxPlayers).Take(max).ToImmutableArray());
    }
}
