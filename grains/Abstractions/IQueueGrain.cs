using System.Collections.Immutable;
using Matchmaker.Grains.Models;
using Orleans.Concurrency;

namespace Matchmaker.Grains;

/// <summary>
/// One shard of a matchmaking queue (key: see <c>QueueShards</c> — mode, size, region, NAT bucket,
/// partition), so no single grain carries every ticket. It forms matches and hands them to a session
/// grain without waiting for it.
/// </summary>
[Alias("Matchmaker.IQueueGrain")]
public interface IQueueGrain : IGrainWithStringKey
{
    [Alias("Enqueue")]
    Task<QueueStatus> EnqueueAsync(QueueTicket ticket);

    /// <summary>A batch from one silo's intake: each ticket admitted or refused as by <see cref="EnqueueAsync"/>, answers in the same order.</summary>
    [Alias("EnqueueMany")]
    Task<ImmutableArray<QueueStatus>> EnqueueManyAsync(ImmutableArray<QueueTicket> tickets);

    [Alias("Cancel")]
    Task CancelAsync(Guid ticketId);

    /// <summary>Tickets of a match that could not go ahead: back at the front (their age is unchanged).</summary>
    [OneWay, Alias("Requeue")]
    Task RequeueAsync(ImmutableArray<QueueTicket> tickets);

    [Alias("Count")]
    Task<int> CountAsync();
}
