using System.Collections.Immutable;
using Matchmaker.Grains.Models;

namespace Matchmaker.Grains.Queues;

/// <summary>
/// Each silo's hand-over of new tickets to the queue shards: tickets bound for one shard travel together,
/// one grain call per batch instead of one per ticket, and each enqueuing player grain still gets its own
/// answer (<see cref="QueueStatus.Full"/> included). A shard has at most one batch in flight; what arrives
/// meanwhile goes in the next. So an idle queue adds no delay, and a busy one batches as much as arrived
/// during one round trip, never waiting on a timer. A plain service rather than a grain, so handing a ticket
/// over is a method call, not a message.
/// </summary>
public sealed class QueueIntake(IGrainFactory grains)
{
    /// <summary>Bounds one message; a longer backlog for a shard goes as several batches, one after another.</summary>
    private const int MaxBatch = 512;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Lane> _lanes = [];

    /// <summary>Completes when the shard has admitted or refused the ticket.</summary>
    public Task<QueueStatus> EnqueueAsync(string shardKey, QueueTicket ticket)
    {
        var waiting = new Waiting(ticket);
        Lane? start = null;
        lock (_gate)
        {
            if (!_lanes.TryGetValue(shardKey, out var lane))
            {
                _lanes[shardKey] = lane = new Lane(shardKey);
            }

            lane.Queue.Enqueue(waiting);
            if (!lane.Sending)
            {
                lane.Sending = true;
                start = lane;
            }
        }

        if (start is not null)
        {
            // Off the calling grain's scheduler and without its execution context: the batches that follow
            // carry other players' tickets and must not run as, or be attributed to, this player's grain.
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Intake.SendAsync(state.Lane), (Intake: this, Lane: start), preferLocal: false);
        }

        return waiting.Status.Task;
    }

    private async Task SendAsync(Lane lane)
    {
        var shard = grains.GetGrain<IQueueGrain>(lane.Key);
        while (true)
        {
            Waiting[] batch;
            lock (_gate)
            {
                if (lane.Queue.Count == 0)
                {
                    lane.Sending = false;
                    _lanes.Remove(lane.Key);
                    return;
                }

                batch = new Waiting[Math.Min(lane.Queue.Count, MaxBatch)];
                for (var i = 0; i < batch.Length; i++)
                {
                    batch[i] = lane.Queue.Dequeue();
                }
            }

            var tickets = ImmutableArray.CreateBuilder<QueueTicket>(batch.Length);
            foreach (var waiting in batch)
            {
                tickets.Add(waiting.Ticket);
            }

            try
            {
                var statuses = await shard.EnqueueManyAsync(tickets.MoveToImmutable());
                for (var i = 0; i < batch.Length; i++)
                {
                    batch[i].Status.TrySetResult(statuses[i]);
                }
            }
            catch (Exception exception)
            {
                // Each player grain sees the failure as its own call's (the gateway answers it 'unavailable').
                foreach (var waiting in batch)
                {
                    waiting.Status.TrySetException(exception);
                }
            }
        }
    }

    private sealed class Lane(string key)
    {
        public string Key { get; } = key;

        public Queue<Waiting> Queue { get; } = new();

        public bool Sending { get; set; }
    }

    private sealed class Waiting(QueueTicket ticket)
    {
        public QueueTicket Ticket { get; } = ticket;

        // Asynchronous continuations: the awaiting player grain resumes on its own scheduler, never inline here.
        public TaskCompletionSource<QueueStatus> Status { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
