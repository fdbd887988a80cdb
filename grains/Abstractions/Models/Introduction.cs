using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains.Models;

/// <summary>
/// "Meet this peer": both sides of a pair get the same id, secret and method at the same time and punch
/// toward each other (or, for <see cref="ConnectMethod.Relay"/>, bind to the same relay allocation). The secret is fresh per pair, single use and expires.
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.Introduction")]
public sealed record Introduction(
    [property: Id(0)] Guid IntroductionId,
    [property: Id(1)] string LobbyCode,
    [property: Id(2)] PeerCard Peer,
    [property: Id(3)] byte[] Secret,
    [property: Id(4)] ConnectMethod Method,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] bool PeerIsHost,
    [property: Id(7)] RelayPass? Relay = null);
