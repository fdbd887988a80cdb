namespace Matchmaker.Grains.Queues;

/// <summary>
/// The matching algorithm of one queue shard, free of Orleans so it can be tested by properties.
/// Tickets are kept oldest first; a match is <see cref="Size"/> tickets every pair of which has a direct
/// connection plan (<see cref="ConnectionPlanner"/>), never a relay.
/// <para>
/// Invariant between calls: no group of compatible tickets is left unmatched (for size 2 exactly, larger
/// sizes greedily). So a new match must contain a newcomer, and <see cref="AddAndMatch"/> only searches
/// around newcomers: each takes the oldest compatible tickets first. That keeps a busy shard's work per
/// ticket proportional to the few tickets it scans, not to the queue's length.
/// </para>
/// </summary>
public sealed class QueueMatcher
{
    private readonly SortedSet<MatchCandidate> _byAge = new(AgeOrder.Instance);
    private readonly Dictionary<Guid, MatchCandidate> _byId = [];
    private readonly List<MatchCandidate> _group;

    public QueueMatcher(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        Size = size;
        _group = new List<MatchCandidate>(size);
    }

    public int Size { get; }

    public int Count => _byId.Count;

    /// <summary>Waiting tickets, oldest first.</summary>
    public IEnumerable<MatchCandidate> Waiting => _byAge;

    public bool Contains(Guid ticketId) => _byId.ContainsKey(ticketId);

    public bool Remove(Guid ticketId)
    {
        if (!_byId.Remove(ticketId, out var candidate))
        {
            return false;
        }

        _byAge.Remove(candidate);
        return true;
    }

    /// <summary>Adds tickets (a ticket already waiting is ignored) and returns the matches they complete, each oldest first.</summary>
    public List<MatchCandidate[]> AddAndMatch(IEnumerable<MatchCandidate> newcomers)
    {
        var added = new List<MatchCandidate>();
        foreach (var candidate in newcomers)
        {
            if (_byId.TryAdd(candidate.TicketId, candidate))
            {
                _byAge.Add(candidate);
                added.Add(candidate);
            }
        }

        added.Sort(AgeOrder.Instance);
        var matches = new List<MatchCandidate[]>();
        foreach (var newcomer in added)
        {
            if (_byId.ContainsKey(newcomer.TicketId) && TryFormAround(newcomer) is { } match)
            {
                matches.Add(match);
            }
        }

        return matches;
    }

    /// <summary>Removes and returns every ticket enqueued at or before <paramref name="cutoff"/>, oldest first.</summary>
    public List<MatchCandidate> TakeEnqueuedBefore(DateTimeOffset cutoff)
    {
        var due = new List<MatchCandidate>();
        foreach (var candidate in _byAge)
        {
            if (candidate.EnqueuedAt > cutoff)
            {
                break;
            }

            due.Add(candidate);
        }

        foreach (var candidate in due)
        {
            Remove(candidate.TicketId);
        }

        return due;
    }

    public static bool Compatible(MatchCandidate a, MatchCandidate b) =>
        ConnectionPlanner.Plan(a.PublicAddress, a.Capabilities, b.PublicAddress, b.Capabilities) is not null;

    private MatchCandidate[]? TryFormAround(MatchCandidate newcomer)
    {
        _group.Clear();
        _group.Add(newcomer);
        foreach (var candidate in _byAge)
        {
            if (candidate != newcomer && FitsGroup(candidate))
            {
                _group.Add(candidate);
                if (_group.Count == Size)
                {
                    break;
                }
            }
        }

        if (_group.Count < Size)
        {
            return null;
        }

        var match = _group.ToArray();
        Array.Sort(match, AgeOrder.Instance);
        foreach (var member in match)
        {
            Remove(member.TicketId);
        }

        return match;
    }

    private bool FitsGroup(MatchCandidate candidate)
    {
        foreach (var member in _group)
        {
            if (!Compatible(member, candidate))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Oldest first; the ticket id breaks ties so two tickets of the same instant are both kept.</summary>
    private sealed class AgeOrder : IComparer<MatchCandidate>
    {
        public static readonly AgeOrder Instance = new();

        public int Compare(MatchCandidate? x, MatchCandidate? y)
        {
            var byTime = x!.EnqueuedAt.CompareTo(y!.EnqueuedAt);
            return byTime != 0 ? byTime : x.TicketId.CompareTo(y.TicketId);
        }
    }
}
