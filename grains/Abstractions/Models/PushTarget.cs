using System.Net;

namespace Matchmaker.Grains.Models;

/// <summary>Where a gateway sends a push: the player's public endpoint, from the gateway socket it registered through.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.PushTarget")]
public sealed record PushTarget(
    [property: Id(0)] Guid PlayerId,
    [property: Id(1)] IPEndPoint PlayerEndpoint,
    [property: Id(2)] IPEndPoint GatewayEndpoint);
