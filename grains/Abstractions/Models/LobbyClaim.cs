namespace Matchmaker.Grains.Models;

/// <summary>
/// The lobby a client believes it is in, restated with every heartbeat. A player grain that was lost with
/// its silo learns from it which lobby to rebuild: a host's claim carries the spec, so the lobby reopens
/// under the same code; a member's claim restores its membership.
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.LobbyClaim")]
public sealed record LobbyClaim(
    [property: Id(0)] string Code,
    [property: Id(1)] LobbySpec? Hosted);
