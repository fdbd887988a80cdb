using System.Collections.Immutable;
using System.Net;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains.Models;

/// <summary>
/// Everything a heartbeat carries. Each heartbeat restates the whole soft state, so a player grain lost
/// with its silo is rebuilt by the next heartbeat instead of needing storage. <see cref="Digest"/> is the
/// gateway's digest of all of it (0: none): while nothing changes, later heartbeats send only the digest
/// (<see cref="IPlayerGrain.RefreshAsync"/>), and the grain asks for the whole presence when it does not
/// hold one with that digest.
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.PlayerPresence")]
public sealed record PlayerPresence(
    [property: Id(0)] IPEndPoint PublicEndpoint,
    [property: Id(1)] ImmutableArray<IPEndPoint> LanEndpoints,
    [property: Id(2)] NatCapabilities Capabilities,
    [property: Id(3)] GatewayRoute Route,
    [property: Id(4)] IPEndPoint? Ipv6Endpoint = null,
    [property: Id(5)] IPEndPoint? ListenEndpoint = null,
    [property: Id(6)] LobbyClaim? Lobby = null,
    [property: Id(7)] ulong Digest = 0);
