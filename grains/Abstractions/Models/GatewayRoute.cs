using System.Net;

namespace Matchmaker.Grains.Models;

/// <summary>
/// How to reach a player: the gateway node it last spoke to and the gateway socket it used. Only that
/// socket's address passes the player's NAT filter, so pushes must leave from it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.GatewayRoute")]
public sealed record GatewayRoute(
    [property: Id(0)] IGatewayPush Gateway,
    [property: Id(1)] IPEndPoint GatewayEndpoint);
