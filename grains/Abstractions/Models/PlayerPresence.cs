using System.Collections.Immutable;
using System.Net;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains.Models;

/// <summary>
/// Everything a heartbeat carries. Each heartbeat restates the whole soft state, so a player grain lost
/// with its silo is rebuilt by the next heartbeat instead of needing storage.
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.PlayerPresence")]
public sealed record PlayerPresence(
    [property: Id(0)] IPEndPoint PublicEndpoint,
    [property: Id(1)] ImmutableArray<IPEndPoint> LanEndpoints,
    [property: Id(2)] NatCapabilities Capabilities,
    [property: Id(3)] GatewayRoute Route,
    [property: Id(4)] IPEndPoint? Ipv6Endpoint = null,
    [property: Id(5)] IPEndPoint? ListenEndpoint = null,
    [property: Id(6)] LobbyClaim? Lobby = null);
