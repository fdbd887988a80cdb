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

    /// <summary>How stale a directory worker's copy of the node list may be; bounds the registry's read rate per silo.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan SnapshotMaxAge { get; set; } = TimeSpan.FromSeconds(1);
}
