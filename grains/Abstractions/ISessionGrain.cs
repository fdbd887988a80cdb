using Matchmaker.Grains.Models;
using Orleans.Concurrency;

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

    /// <summary>
    /// Turns a queue match into a lobby, all or nothing: every ticket must still be claimable, or those
    /// that are go back to the queue and nobody is introduced. One-way, so the queue never waits on it.
    /// </summary>
    [OneWay, Alias("OpenMatch")]
    Task OpenMatchAsync(MatchProposal proposal);

    /// <summary>
    /// The host's heartbeat: reopens the lobby under the same code when it was lost with its silo (taking in
    /// members that restated themselves meanwhile) and refreshes its index entry. False when another host owns the code.
    /// </summary>
    [Alias("RestoreHost")]
    Task<bool> RestoreHostAsync(PeerCard host, LobbySpec spec);

    /// <summary>A member's heartbeat: keeps (or puts back) the member in the lobby, or holds it until the host reopens it.</summary>
    [Alias("RestoreMember")]
    Task<RestoreResult> RestoreMemberAsync(PeerCard member);

    [Alias("Summary")]
    Task<LobbySummary?> GetSummaryAsync();
}
