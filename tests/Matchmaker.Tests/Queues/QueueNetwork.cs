using Matchmaker.Grains.Queues;

namespace Matchmaker.Tests.Queues;

/// <summary>
/// The sharded queue without Orleans: one <see cref="QueueMatcher"/> per shard key, tickets routed along
/// <see cref="QueueShards.PathOf"/> and moved on by <see cref="Sweep"/> exactly as the queue grain's timer does.
/// </summary>
internal sealed class QueueNetwork(bool sharded, TimeSpan regionDelay, TimeSpan bucketDelay)
{
    private readonly Dictionary<string, QueueMatcher> _shards = [];
    private readonly Dictionary<Guid, QueuedPlayer> _players = [];

    public List<(string Shard, QueuedPlayer[] Players)> Matches { get; } = [];

    public IEnumerable<QueuedPlayer> Waiting => _shards.Values.SelectMany(s => s.Waiting).Select(c => _players[c.TicketId]);

    public void Enqueue(QueuedPlayer player)
    {
        _players[player.TicketId] = player;
        Add(PathOf(player)[0], [player.Candidate]);
    }

    public void Sweep(DateTimeOffset now)
    {
        foreach (var (key, matcher) in _shards.ToList())
        {
            var delay = QueueShards.StageOf(key) switch { 0 => regionDelay, 1 => bucketDelay, _ => (TimeSpan?)null };
            if (delay is not { } widenAfter)
            {
                continue;
            }

            foreach (var candidate in matcher.TakeEnqueuedBefore(now - widenAfter))
            {
                var next = QueueShards.NextAfter(key, PathOf(_players[candidate.TicketId]));
                Add(next ?? key, [candidate]);
            }
        }
    }

    private IReadOnlyList<string> PathOf(QueuedPlayer player) =>
        QueueShards.PathOf(player.Mode, player.Size, player.Region, NatClasses.Of(player.Nat), sharded);

    private void Add(string key, MatchCandidate[] candidates)
    {
        if (!_shards.TryGetValue(key, out var matcher))
        {
            _shards[key] = matcher = new QueueMatcher(QueueShards.SizeOf(key));
        }

        foreach (var match in matcher.AddAndMatch(candidates))
        {
            Matches.Add((key, match.Select(c => _players[c.TicketId]).ToArray()));
        }
    }
}
