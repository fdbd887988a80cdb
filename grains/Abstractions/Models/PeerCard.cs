using System.Collections.Immutable;
using System.Net;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains.Models;

/// <summary>
/// What one peer needs to know to reach another: public (reflexive) and LAN endpoints, NAT capabilities,
/// and where present its public IPv6 endpoint and an endpoint that accepts unsolicited packets (a UPnP
/// mapping or a declared open port).
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.PeerCard")]
public sealed record PeerCard(
    [property: Id(0)] Guid PlayerId,
    [property: Id(1)] IPEndPoint PublicEndpoint,
    [property: Id(2)] ImmutableArray<IPEndPoint> LanEndpoints,
    [property: Id(3)] NatCapabilities Capabilities,
    [property: Id(4)] IPEndPoint? Ipv6Endpoint = null,
    [property: Id(5)] IPEndPoint? ListenEndpoint = null);
