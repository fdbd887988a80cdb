using System.Collections.Immutable;
using System.Net;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains.Models;

/// <summary>What one peer needs to know to reach another: public (reflexive) and LAN endpoints and NAT capabilities.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.PeerCard")]
public sealed record PeerCard(
    [property: Id(0)] Guid PlayerId,
    [property: Id(1)] IPEndPoint PublicEndpoint,
    [property: Id(2)] ImmutableArray<IPEndPoint> LanEndpoints,
    [property: Id(3)] NatCapabilities Capabilities);
