namespace Matchmaker.Grains.Models;

/// <summary>A player's registration as the cluster sees it.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.PlayerStatus")]
public sealed record PlayerStatus(
    [property: Id(0)] bool Registered,
    [property: Id(1)] TimeSpan HeartbeatInterval,
    [property: Id(2)] string? LobbyCode,
    [property: Id(3)] bool Queued = false);
