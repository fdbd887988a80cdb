using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Grains;

/// <summary>Configuration section <c>RelayDirectory</c>: how the cluster tracks relay nodes and sizes reservations.</summary>
public sealed class RelayDirectoryOptions
{
    public const string Section = "RelayDirectory";

    /// <summary>A node silent this long is dead: its reservations fail and its players are told. Keep it ≥ 3 node heartbeats.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest an allocation lives (written into its tokens); a longer game asks for a new one by rejoining.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan AllocationLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Per-player cap across the whole cluster: relay allocations one player may hold on all nodes together
    /// (a lobby of 16 needs at most 15). Each node also enforces <c>Relay:MaxAllocationsPerPlayer</c> on its own.
    /// </summary>
    [Range(1, 1000)]
    public int MaxAllocationsPerPlayer { get; set; } = 16;

    /// <summary>
    /// A reservation neither player bound this long is withdrawn: the players' cap is given back and the node
    /// refuses its tokens from its next heartbeat. Keep it above the introduction lifetime.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan BindWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How stale a directory worker's copy of the node list may be; bounds the registry's read rate per silo.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan SnapshotMaxAge { get; set; } = TimeSpan.FromSeconds(1);
}
