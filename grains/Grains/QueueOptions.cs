using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Grains;

/// <summary>Configuration section <c>Queues</c>.</summary>
public sealed class QueueOptions
{
    public const string Section = "Queues";

    /// <summary>How long a ticket waits in its own region before any region's players may match it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RegionWideningDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long (from enqueue) before players of every NAT bucket may match it — still only over direct paths.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BucketWideningDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often a shard moves its long waiters on to a wider search.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Tickets one shard holds; beyond, enqueues are refused with <c>queue-full</c>.</summary>
    [Range(16, 10_000_000)]
    public int MaxTicketsPerShard { get; set; } = 100_000;

    /// <summary>
    /// Shard by region and NAT bucket (the default). Off puts every ticket of a mode and size in one grain:
    /// the reference configuration the benchmark compares against.
    /// </summary>
    public bool Sharded { get; set; } = true;
}
