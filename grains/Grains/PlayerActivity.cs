using Matchmaker.Grains.Models;

namespace Matchmaker.Grains;

/// <summary>
/// What a player grain holds only once its player does more than heartbeat: its lobby and queue ticket, the lobby it hosts, how long
/// its lobby has waited for a lost host, its expiry timer, its last lobby request (for retransmissions)
/// and its recent quota events. Created on first use, so an idle registered player carries none of it
/// (the idle player's budget is spelled out on <see cref="StoredPresence"/>).
/// </summary>
internal sealed class PlayerActivity
{
    /// <summary>The code of the lobby the player is in.</summary>
    public string? Lobby { get; set; }

    /// <summary>The player's ticket while it waits in a queue.</summary>
    public QueueTicket? Ticket { get; set; }

    /// <summary>
    /// The ticket a queue match claimed to put this player in <see cref="Lobby"/>, kept until that lobby is left:
    /// if the match falls through, the session's release puts it back in the queue.
    /// </summary>
    public QueueTicket? Claimed { get; set; }

    public LobbySpec? HostedSpec { get; set; }

    public DateTimeOffset? WaitingSince { get; set; }

    public IGrainTimer? ExpiryTimer { get; set; }

    public (Guid RequestId, LobbyResult Result)? LastLobbyRequest { get; set; }

    /// <summary>When this player's recent failed joins and hosted lobbies happened: sliding one-minute windows, each at most its quota long.</summary>
    public Queue<DateTimeOffset> FailedJoins { get; } = new();

    public Queue<DateTimeOffset> HostedLobbies { get; } = new();
}
