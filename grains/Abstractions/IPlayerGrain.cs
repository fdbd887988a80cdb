using Matchmaker.Grains.Models;
using Orleans.Concurrency;

namespace Matchmaker.Grains;

/// <summary>One per player (key: player id). Soft state refreshed by heartbeats.</summary>
[Alias("Matchmaker.IPlayerGrain")]
public interface IPlayerGrain : IGrainWithGuidKey
{
    [Alias("Heartbeat")]
    Task<PlayerStatus> HeartbeatAsync(PlayerPresence presence);

    /// <summary>
    /// A heartbeat that restates an unchanged presence by its <see cref="PlayerPresence.Digest"/> alone: it
    /// renews the registration and restates the player's lobby exactly as <see cref="HeartbeatAsync"/> would.
    /// Null when this grain holds no presence with that digest (a fresh activation, an expired registration,
    /// a changed presence): the caller then sends the whole presence with <see cref="HeartbeatAsync"/>.
    /// </summary>
    [Alias("Refresh")]
    Task<PlayerStatus?> RefreshAsync(ulong presenceDigest);

    /// <summary>
    /// <paramref name="requestId"/> identifies the client's request (its STUN transaction): a retransmission
    /// carries the same id and gets the first answer again instead of opening a second lobby (RFC 8489 §6.3).
    /// </summary>
    [Alias("Host")]
    Task<LobbyResult> HostLobbyAsync(LobbySpec spec, Guid requestId);

    [Alias("Join")]
    Task<LobbyResult> JoinLobbyAsync(string lobbyCode, Guid requestId);

    [Alias("Leave")]
    Task LeaveLobbyAsync();

    /// <summary>Enqueues (or keeps, when the same spec is already queued: retransmissions are harmless) a ticket.</summary>
    [Alias("Enqueue")]
    Task<QueueStatus> EnqueueAsync(QueueSpec spec);

    [Alias("LeaveQueue")]
    Task LeaveQueueAsync();

    /// <summary>
    /// Claims this player's live ticket for the match forming as lobby <paramref name="lobbyCode"/>: the ticket is
    /// spent and the player is in that lobby from now on. Null when the ticket is no longer live (left, queued
    /// again, expired). The claim is the commit: nothing else reaches the player when the match goes ahead.
    /// </summary>
    [Alias("ClaimMatch")]
    Task<MatchClaim?> ClaimMatchAsync(Guid ticketId, string lobbyCode);

    /// <summary>
    /// The match forming as <paramref name="lobbyCode"/> could not go ahead: a player that was claimed for it leaves
    /// that lobby, and a ticket still wanted (claimed, or never reached by a failed claim) goes back to
    /// <paramref name="queueKey"/> with its age unchanged.
    /// </summary>
    [OneWay, Alias("ReleaseMatch")]
    Task ReleaseMatchAsync(string lobbyCode, Guid ticketId, string queueKey);

    [Alias("Status")]
    Task<PlayerStatus> GetStatusAsync();

    /// <summary>
    /// Pushes an introduction to this player and returns its current card (null when offline).
    /// Interleaved because a session calls it while this player may itself be waiting on another lobby.
    /// </summary>
    [AlwaysInterleave, Alias("Introduce")]
    Task<PeerCard?> IntroduceAsync(Introduction introduction);

    [OneWay, Alias("LobbyClosed")]
    Task NotifyLobbyClosedAsync(string lobbyCode, string reason);

    /// <summary>The relay node carrying this introduction's traffic died: tell the player so it stops waiting.</summary>
    [OneWay, Alias("RelayLost")]
    Task NotifyRelayLostAsync(Guid introductionId);
}
