namespace Matchmaker.Grains.Models;

/// <summary>
/// A player's answer to a match claiming its ticket: its current card (what its peers are introduced to),
/// where its pushes go, and the gateway node that sends them, so the session pushes without another hop.
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.MatchClaim")]
public sealed record MatchClaim(
    [property: Id(0)] PeerCard Card,
    [property: Id(1)] PushTarget Target,
    [property: Id(2)] IGatewayPush Gateway);
