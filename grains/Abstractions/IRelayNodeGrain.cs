using System.Collections.Immutable;
using Matchmaker.Grains.Models;

namespace Matchmaker.Grains;

/// <summary>
/// One per relay node (key: node id): its last heartbeat and the reservations it holds. Reservations are
/// spread over these grains, one per node, so no single grain sees every relayed join.
/// </summary>
[Alias("Matchmaker.IRelayNodeGrain")]
public interface IRelayNodeGrain : IGrainWithStringKey
{
    /// <summary>Answers the allocations the node must revoke: reservations nobody bound within <c>RelayDirectory:BindWindow</c>.</summary>
    [Alias("Heartbeat")]
    Task<ImmutableArray<Guid>> HeartbeatAsync(RelayNodeStatus status);

    /// <summary>Null when the node is dead, unknown or full: the directory tries the next one.</summary>
    [Alias("Reserve")]
    Task<RelayReservation?> ReserveAsync(RelayRequest request);

    /// <summary>A node stopping cleanly: its players are told at once rather than after missed heartbeats.</summary>
    [Alias("Leave")]
    Task LeaveAsync();
}
