using System.Collections.Immutable;
using Matchmaker.Grains.Models;
using Matchmaker.Grains.Queues;
using Matchmaker.Protocol.Control;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Matchmaker.Grains;

/// <summary>
/// One queue shard (key: <see cref="QueueShards"/>). Holds tickets in a <see cref="QueueMatcher"/>, hands
/// each formed match to a fresh session grain without waiting for it, and moves tickets that waited past
/// this stage's delay on to the next, wider shard. Its tickets are soft state: a player whose heartbeats
/// stop cancels them, and a ticket that outlived its player is dropped when a match tries to claim it.
/// </summary>
public sealed partial class QueueGrain(
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<QueueOptions> options,
    ILogger<QueueGrain> logger) : Grain, IQueueGrain
{
    private readonly QueueOptions _options = options.Value;
    private readonly Dictionary<Guid, QueueTicket> _tickets = [];

    // Admitted since the last matching pass; reused, so admitting a ticket allocates only its candidate.
    private readonly List<MatchCandidate> _newcomers = [];
    private QueueMatcher _matcher = null!;
    private TimeSpan? _widenAfter;
    private IGrainTimer? _sweep;

    private string Key => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _matcher = new QueueMatcher(QueueShards.SizeOf(Key));
        _widenAfter = QueueShards.StageOf(Key) switch
        {
            0 => _options.RegionWideningDelay,
            1 => _options.BucketWideningDelay,
            _ => null,
        };
        return Task.CompletedTask;
    }

    public Task<QueueStatus> EnqueueAsync(QueueTicket ticket)
    {
        var status = Admit(ticket);
        Match();
        return Task.FromResult(status);
    }

    public Task<ImmutableArray<QueueStatus>> EnqueueManyAsync(ImmutableArray<QueueTicket> tickets)
    {
        var statuses = ImmutableArray.CreateBuilder<QueueStatus>(tickets.Length);
        foreach (var ticket in tickets)
        {
            statuses.Add(Admit(ticket));
        }

        // One matching pass for the whole batch: oldest newcomers first, as if they had come one by one.
        Match();
        return Task.FromResult(statuses.MoveToImmutable());
    }

    public Task CancelAsync(Guid ticketId)
    {
        if (_tickets.Remove(ticketId))
        {
            _matcher.Remove(ticketId);
        }

        return Task.CompletedTask;
    }

    public Task RequeueAsync(ImmutableArray<QueueTicket> tickets)
    {
        // Requeued tickets are owed a place even past the cap: they were admitted once already.
        foreach (var ticket in tickets)
        {
            if (!_tickets.ContainsKey(ticket.TicketId))
            {
                Hold(ticket);
            }
        }

        Match();
        return Task.CompletedTask;
    }

    public Task<int> CountAsync() => Task.FromResult(_tickets.Count);

    /// <summary>Takes a new ticket into <see cref="_newcomers"/> unless it is here already or the shard is full.</summary>
    private QueueStatus Admit(QueueTicket ticket)
    {
        if (_tickets.ContainsKey(ticket.TicketId))
        {
            return QueueStatus.Ok;
        }

        if (_tickets.Count >= _options.MaxTicketsPerShard)
        {
            Log.ShardFull(logger, Key, _tickets.Count);
            return QueueStatus.Full;
        }

        Hold(ticket);
        return QueueStatus.Ok;
    }

    private void Hold(QueueTicket ticket)
    {
        _tickets[ticket.TicketId] = ticket;
        _newcomers.Add(new MatchCandidate(ticket.TicketId, ticket.EnqueuedAt, ticket.Card.PublicEndpoint.Address, ConnectionPlanner.UsableCapabilities(ticket.Card)));
    }

    /// <summary>Matches the newcomers held since the last pass and hands each formed match to a fresh session grain.</summary>
    private void Match()
    {
        if (_newcomers.Count > 0)
        {
            foreach (var match in _matcher.AddAndMatch(_newcomers))
            {
                var matched = ImmutableArray.CreateBuilder<QueueTicket>(match.Length);
                foreach (var candidate in match)
                {
                    _tickets.Remove(candidate.TicketId, out var ticket);
                    matched.Add(ticket!);
                }

                // A fresh code per match; a collision with a live lobby is refused by the session, which requeues.
                var code = LobbyCode.Generate();
                GrainFactory.GetGrain<ISessionGrain>(code).OpenMatchAsync(new MatchProposal(Key, code, matched.MoveToImmutable())).Ignore();
            }

            _newcomers.Clear();
        }

        if (_widenAfter is not null && _tickets.Count > 0 && _sweep is null)
        {
            _sweep = this.RegisterGrainTimer(WidenAsync, new GrainTimerCreationOptions(_options.SweepInterval, _options.SweepInterval) { KeepAlive = true });
        }
    }

    /// <summary>Moves tickets that waited past this stage's delay on to the next stage of their own path.</summary>
    private async Task WidenAsync(CancellationToken cancellationToken)
    {
        if (_tickets.Count == 0)
        {
            _sweep?.Dispose();
            _sweep = null;
            return;
        }

        var due = _matcher.TakeEnqueuedBefore(clock.GetUtcNow() - _widenAfter!.Value);
        if (due.Count == 0)
        {
            return;
        }

        // One batch per wider shard: the due tickets of one shard usually share their next stage or two.
        var byNext = new Dictionary<string, ImmutableArray<QueueTicket>.Builder>();
        foreach (var candidate in due)
        {
            _tickets.Remove(candidate.TicketId, out var ticket);
            var path = QueueShards.PathOf(ticket!.Spec.Mode, ticket.Spec.Size, ticket.Spec.Region, ConnectionPlanner.UsableCapabilities(ticket.Card), _options.Sharded);
            var next = QueueShards.NextAfter(Key, path) ?? Key;
            if (!byNext.TryGetValue(next, out var batch))
            {
                byNext[next] = batch = ImmutableArray.CreateBuilder<QueueTicket>();
            }

            batch.Add(ticket);
        }

        var moves = new List<(ImmutableArray<QueueTicket> Tickets, Task<ImmutableArray<QueueStatus>> Statuses)>(byNext.Count);
        foreach (var (next, batch) in byNext)
        {
            var tickets = batch.ToImmutable();
            moves.Add((tickets, GrainFactory.GetGrain<IQueueGrain>(next).EnqueueManyAsync(tickets)));
        }

        var kept = new List<QueueTicket>();
        foreach (var (tickets, statuses) in moves)
        {
            try
            {
                var answers = await statuses;
                kept.AddRange(tickets.Where((_, i) => answers[i] != QueueStatus.Ok));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Log.WidenFailed(logger, Key, exception);
                kept.AddRange(tickets);
            }
        }

        Log.Widened(logger, Key, due.Count - kept.Count);
        if (kept.Count > 0)
        {
            // The wider shard could not take them: they stay here rather than being lost.
            foreach (var ticket in kept)
            {
                Hold(ticket);
            }

            Match();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Queue shard {Key} is full ({Count} tickets); enqueue refused")]
        public static partial void ShardFull(ILogger logger, string key, int count);

        [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "Queue shard {Key} moved {Count} long-waiting tickets to a wider search")]
        public static partial void Widened(ILogger logger, string key, int count);

        [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Queue shard {Key} could not move tickets to a wider search; keeping them")]
        public static partial void WidenFailed(ILogger logger, string key, Exception exception);
    }
}
