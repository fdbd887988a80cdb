using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains.Models;

/// <summary>One punch outcome a client reported, already validated by the gateway.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.PunchResult")]
public sealed record PunchResult(
    [property: Id(0)] ConnectMethod Method,
    [property: Id(1)] NatCapabilities OwnNat,
    [property: Id(2)] NatCapabilities PeerNat,
    [property: Id(3)] bool Connected,
    [property: Id(4)] TimeSpan TimeToConnect);
