namespace Matchmaker.Grains.Models;

/// <summary>
/// A player's registration as the cluster sees it. <see cref="Lease"/>, when positive, is how long the gateway
/// that forwarded this renewal may answer the player's unchanged heartbeats itself: the grain has already
/// extended the registration to cover it. Only an idle player (no lobby, no queue ticket) is leased.
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.PlayerStatus")]
public sealed record PlayerStatus(
    [property: Id(0)] bool Registered,
    [property: Id(1)] TimeSpan HeartbeatInterval,
    [property: Id(2)] string? LobbyCode,
    [property: Id(3)] bool Queued = false,
    [property: Id(4)] TimeSpan Lease = default);
