using Matchmaker.Grains.Models;

namespace Matchmaker.Grains;

/// <summary>One per lobby (key: lobby code): host, name, capacity, members.</summary>
[Alias("Matchmaker.ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>False when the code is already live: the caller draws another, so no code is ever active twice.</summary>
    [Alias("Open")]
    Task<bool> OpenAsync(PeerCard host, LobbySpec spec);

    [Alias("Join")]
    Task<LobbyResult> JoinAsync(PeerCard joiner);

    [Alias("Leave")]
    Task LeaveAsync(Guid playerId, string reason);

    [Alias("Summary")]
    Task<LobbySummary?> GetSummaryAsync();
}
