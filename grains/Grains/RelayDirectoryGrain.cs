using System.Collections.Immutable;
using Matchmaker.Grains.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Matchmaker.Grains;

/// <summary>
/// Picks a relay node for a pair. A stateless worker with a cached node list, so the reservation path is
/// one local call plus one call to the chosen node's grain; the registry is read at most once per
/// snapshot age per activation. Nodes are tried from most to least headroom; a node that turns out dead
/// or full answers null and the next is tried.
/// </summary>
[StatelessWorker]
public sealed class RelayDirectoryGrain(
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<RelayDirectoryOptions> options) : Grain, IRelayDirectoryGrain
{
    private ImmutableArray<RelayNodeLoad> _nodes = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public async Task<RelayReservation?> ReserveAsync(RelayRequest request)
    {
        if (clock.GetUtcNow() - _readAt >= options.Value.SnapshotMaxAge || _nodes.IsEmpty)
        {
            _nodes = await GrainFactory.GetGrain<IRelayRegistryGrain>(0).GetNodesAsync();
            _readAt = clock.GetUtcNow();
        }

        foreach (var node in _nodes.Where(n => n.Load < n.Capacity).OrderByDescending(n => n.Headroom).ThenBy(n => n.NodeId, StringComparer.Ordinal))
        {
            if (await GrainFactory.GetGrain<IRelayNodeGrain>(node.NodeId).ReserveAsync(request) is { } reservation)
            {
                return reservation;
            }

            // Dead or full since the snapshot: the next read must not offer it again.
            _readAt = DateTimeOffset.MinValue;
        }

        return null;
    }
}
