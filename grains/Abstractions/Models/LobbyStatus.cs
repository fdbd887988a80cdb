namespace Matchmaker.Grains.Models;

/// <summary>Outcome of a lobby operation; the gateway maps each to a protocol error slug.</summary>
[GenerateSerializer, Alias("Matchmaker.LobbyStatus")]
public enum LobbyStatus
{
    Ok,
    NotFound,
    Full,
    NotRegistered,
    InvalidSpec,
    AlreadyHosting,

    /// <summary>No direct path exists between the joiner and some member; until relays exist the join is refused.</summary>
    RelayRequired,

    /// <summary>A quota refused it: too many failed joins or lobbies hosted by this player, too many lobbies open, or a relayed pair's player holding its cluster-wide relay allocation cap.</summary>
    RateLimited,
}
