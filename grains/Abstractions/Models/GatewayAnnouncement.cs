using System.Collections.Immutable;
using System.Net;

namespace Matchmaker.Grains.Models;

/// <summary>
/// One gateway node as the directory knows it: its listening addresses with their primary port, its
/// alternate port, the observer that answers change-IP probes for other nodes, and how long the entry
/// lives unless announced again (soft state, like players: a node that dies simply stops announcing).
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.GatewayAnnouncement")]
public sealed record GatewayAnnouncement(
    [property: Id(0)] Guid NodeId,
    [property: Id(1)] ImmutableArray<IPEndPoint> Addresses,
    [property: Id(2)] int AlternatePort,
    [property: Id(3)] IGatewayPeer Peer,
    [property: Id(4)] TimeSpan TimeToLive);
