namespace Matchmaker.Grains.Models;

/// <summary>What a session answers a heartbeat that restates a player's place in it.</summary>
[GenerateSerializer, Alias("Matchmaker.RestoreResult")]
public enum RestoreResult
{
    /// <summary>The player is (again) host or member of the open lobby.</summary>
    Restored,

    /// <summary>The lobby is not open (yet): a member waits for its host's heartbeat to reopen it.</summary>
    Pending,

    /// <summary>The code belongs to another host's lobby, or the lobby is full: the claim is void.</summary>
    Refused,
}
