using System.Collections.Immutable;
using Matchmaker.Grains.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Matchmaker.Grains;

/// <summary>
/// Live relay nodes and their load. Its traffic grows with the number of relay nodes and silos, not with
/// players: nodes report once per heartbeat, directory workers read once per snapshot age. A report older
/// than <see cref="RelayDirectoryOptions.DeadAfter"/> is dropped here too, in case the node's own grain was
/// lost with its silo.
/// </summary>
public sealed class RelayRegistryGrain(
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<RelayDirectoryOptions> options) : Grain, IRelayRegistryGrain
{
    private readonly Dictionary<string, (RelayNodeLoad Load, DateTimeOffset At)> _nodes = new(StringComparer.Ordinal);

    public Task ReportAsync(RelayNodeLoad load)
    {
        _nodes[load.NodeId] = (load, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string nodeId)
    {
        _nodes.Remove(nodeId);
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<RelayNodeLoad>> GetNodesAsync()
    {
        var oldest = clock.GetUtcNow() - options.Value.DeadAfter;
        return Task.FromResult(_nodes.Values.Where(n => n.At >= oldest).Select(n => n.Load).ToImmutableArray());
    }
}
