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
}
