using System.Net;

namespace Matchmaker.Grains.Models;

/// <summary>One player's way into a relay allocation: the node's address, that side's token and the token's key.</summary>
/// <remarks>An unspecified address (0.0.0.0) means "the gateway's own address": an embedded relay listens on every interface and shares the gateway's host.</remarks>
[GenerateSerializer, Immutable, Alias("Matchmaker.RelayPass")]
public sealed record RelayPass(
    [property: Id(0)] IPEndPoint Endpoint,
    [property: Id(1)] byte[] Token,
    [property: Id(2)] byte[] Key);
