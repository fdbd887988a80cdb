using System.Collections.Immutable;
using Matchmaker.Grains.Models;
using Orleans.Concurrency;

namespace Matchmaker.Grains;

/// <summary>
/// The list of live relay nodes and their load (key: 0). Written by node grains once per node heartbeat,
/// read by each silo's directory workers at most once per snapshot age — never once per join.
/// </summary>
[Alias("Matchmaker.IRelayRegistryGrain")]
public interface IRelayRegistryGrain : IGrainWithIntegerKey
{
    [OneWay, Alias("Report")]
    Task ReportAsync(RelayNodeLoad load);

    [Alias("Remove")]
    Task RemoveAsync(string nodeId);

    [AlwaysInterleave, Alias("Nodes")]
    Task<ImmutableArray<RelayNodeLoad>> GetNodesAsync();
}
