using System.Collections.Immutable;
using Matchmaker.Grains.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Matchmaker.Grains;

/// <summary>
/// Picks a relay node for a pair. A stateless worker with a cached node list, so the reservation path is
/// the two players' quota grains (in parallel), one local call and one call to the chosen node's grain;
/// the registry is read at most once per snapshot age per activation. The quota is taken before any node
/// is tried because it is the players' across every node: trying another node must not get round it.
/// Nodes are tried from most to least headroom; a node that turns out dead or full answers null and the
/// next is tried.
/// </summary>
[StatelessWorker]
public sealed class RelayDirectoryGrain(
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<RelayDirectoryOptions> options) : Grain, IRelayDirectoryGrain
{
    private ImmutableArray<RelayNodeLoad> _nodes = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public async Task<RelayGrant> ReserveAsync(RelayRequest request)
    {
        if (!await TakeQuotaAsync(request))
        {
            return RelayGrant.Refused(RelayRefusal.PlayerQuota);
        }

        if (clock.GetUtcNow() - _readAt >= options.Value.SnapshotMaxAge || _nodes.IsEmpty)
        {
            _nodes = await GrainFactory.GetGrain<IRelayRegistryGrain>(0).GetNodesAsync();
            _readAt = clock.GetUtcNow();
        }

        foreach (var node in _nodes.Where(n => n.Load < n.Capacity).OrderByDescending(n => n.Headroom).ThenBy(n => n.NodeId, StringComparer.Ordinal))
        {
            if (await GrainFactory.GetGrain<IRelayNodeGrain>(node.NodeId).ReserveAsync(request) is { } reservation)
            {
                return RelayGrant.Granted(reservation);
            }

            // Dead or full since the snapshot: the next read must not offer it again.
            _readAt = DateTimeOffset.MinValue;
        }

        RelayQuota.Release(GrainFactory, request);
        return RelayGrant.Refused(RelayRefusal.NoNode);
    }

    private async Task<bool> TakeQuotaAsync(RelayRequest request)
    {
        var until = clock.GetUtcNow() + options.Value.AllocationLifetime;
        var taken = await Task.WhenAll(
            GrainFactory.GetGrain<IRelayQuotaGrain>(request.PlayerA).TryTakeAsync(request.IntroductionId, until),
            GrainFactory.GetGrain<IRelayQuotaGrain>(request.PlayerB).TryTakeAsync(request.IntroductionId, until));
        if (taken[0] && taken[1])
        {
            return true;
        }

        // All or nothing: the player who had room gets it back (releasing what was never taken is harmless).
        RelayQuota.Release(GrainFactory, request);
        return false;
    }
}
