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
        if (_tickets.ContainsKey(ticket.TicketId))
        {
            return Task.FromResult(QueueStatus.Ok);
        }

        if (_tickets.Count >= _options.MaxTicketsPerShard)
        {
            Log.ShardFull(logger, Key, _tickets.Count);
            return Task.FromResult(QueueStatus.Full);
        }

        Add([ticket]);
        return Task.FromResult(QueueStatus.Ok);
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
        Add(tickets.Where(t => !_tickets.ContainsKey(t.TicketId)));
        return Task.CompletedTask;
    }

    public Task<int> CountAsync() => Task.FromResult(_tickets.Count);

    private void Add(IEnumerable<QueueTicket> tickets)
    {
        var candidates = new List<MatchCandidate>();
        foreach (var ticket in tickets)
        {
            _tickets[ticket.TicketId] = ticket;
            candidates.Add(new MatchCandidate(ticket.TicketId, ticket.EnqueuedAt, ticket.Card.PublicEndpoint.Address, ConnectionPlanner.UsableCapabilities(ticket.Card)));
        }

        foreach (var match in _matcher.AddAndMatch(candidates))
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

        var moves = new List<(QueueTicket Ticket, Task<QueueStatus> Status)>(due.Count);
        foreach (var candidate in due)
        {
            _tickets.Remove(candidate.TicketId, out var ticket);
            var path = QueueShards.PathOf(ticket!.Spec.Mode, ticket.Spec.Size, ticket.Spec.Region, ConnectionPlanner.UsableCapabilities(ticket.Card), _options.Sharded);
            var next = QueueShards.NextAfter(Key, path) ?? Key;
            moves.Add((ticket, GrainFactory.GetGrain<IQueueGrain>(next).EnqueueAsync(ticket)));
        }

        var kept = new List<QueueTicket>();
        foreach (var (ticket, status) in moves)
        {
            try
            {
                if (await status == QueueStatus.Ok)
                {
                    continue;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Log.WidenFailed(logger, Key, exception);
            }

            kept.Add(ticket);
        }

        Log.Widened(logger, Key, due.Count - kept.Count);
        if (kept.Count > 0)
        {
            // The wider shard could not take them: they stay here rather than being lost.
            Add(kept);
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
