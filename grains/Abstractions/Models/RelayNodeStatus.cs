using System.Collections.Immutable;
using System.Net;

namespace Matchmaker.Grains.Models;

/// <summary>
/// A relay node's heartbeat: where players reach it, how many allocations it takes and holds, and the
/// secret its tokens' keys derive from (generated per process; it never leaves the cluster), and which
/// allocations opened (first bind) and closed since the last heartbeat the cluster acknowledged: the cluster
/// counts each player's allocations across all nodes from these.
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.RelayNodeStatus")]
public sealed record RelayNodeStatus(
    [property: Id(0)] IPEndPoint Endpoint,
    [property: Id(1)] int Capacity,
    [property: Id(2)] int Active,
    [property: Id(3)] byte[] Secret,
    [property: Id(4)] int MaxPerPlayer,
    [property: Id(5)] ImmutableArray<Guid> Opened,
    [property: Id(6)] ImmutableArray<Guid> Closed);
