using CsCheck;
using Matchmaker.Grains.Queues;

namespace Matchmaker.Tests.Queues;

/// <summary>
/// One shard's matcher over random populations: matches are direct and whole, nothing is lost or
/// matched twice, the oldest compatible ticket is preferred, and compatible tickets never wait side by
/// side. CsCheck prints the seed of a failing case; pass it as <c>seed:</c> to reproduce.
/// </summary>
public sealed class QueueMatcherProperties
{
    [Fact]
    public void Every_match_is_whole_and_every_pair_in_it_has_a_direct_path()
    {
        Gen.Int[2, 6].SelectMany(size => QueueGen.Population(size).Select(p => (size, p))).Sample((size, players) =>
        {
            var run = Run(size, players, dropEvery: 0);

            Assert.All(run.Matches, match =>
            {
                Assert.Equal(size, match.Length);
                foreach (var a in match)
                {
                    Assert.All(match.Where(b => b != a), b => Assert.True(a.HasDirectPathTo(b), $"{a.Nat}@{a.AddressIndex} matched with {b.Nat}@{b.AddressIndex}"));
                }
            });
        }, iter: 500);
    }

    [Fact]
    public void No_ticket_is_lost_or_matched_twice_even_when_players_drop_and_the_rest_are_requeued()
    {
        Gen.Select(Gen.Int[2, 5], Gen.Int[2, 5]).SelectMany(t => QueueGen.Population(t.Item1).Select(p => (t.Item1, t.Item2, p))).Sample((size, dropEvery, players) =>
        {
            var run = Run(size, players, dropEvery);

            var matched = run.Matches.SelectMany(m => m).Select(p => p.Index).ToList();
            Assert.Equal(matched.Count, matched.Distinct().Count());
            Assert.Empty(matched.Intersect(run.Dropped));
            var waiting = run.Matcher.Waiting.Select(c => players.Single(p => p.TicketId == c.TicketId).Index).ToList();
            var accounted = matched.Concat(run.Dropped).Concat(waiting).Order().ToList();
            Assert.Equal(Enumerable.Range(0, players.Length), accounted);
        }, iter: 500);
    }

    [Fact]
    public void Two_compatible_tickets_never_wait_side_by_side()
    {
        QueueGen.Population(2).Sample(players =>
        {
            var run = Run(2, players, dropEvery: 3);

            var waiting = run.Matcher.Waiting.Select(c => players.Single(p => p.TicketId == c.TicketId)).ToList();
            foreach (var a in waiting)
            {
                Assert.DoesNotContain(waiting, b => b != a && a.HasDirectPathTo(b));
            }
        }, iter: 500);
    }

    [Fact]
    public void A_newcomer_is_matched_with_the_oldest_compatible_ticket()
    {
        QueueGen.Population(2).Sample(players =>
        {
            var matcher = new QueueMatcher(2);
            foreach (var player in players)
            {
                var before = matcher.Waiting.ToList();
                foreach (var match in matcher.AddAndMatch([player.Candidate]))
                {
                    var partner = match.Single(c => c.TicketId != player.TicketId);
                    var older = before.Where(c => c.EnqueuedAt < partner.EnqueuedAt).Select(c => players.Single(p => p.TicketId == c.TicketId));
                    Assert.DoesNotContain(older, p => p.HasDirectPathTo(player));
                }
            }
        }, iter: 500);
    }

    [Fact]
    public void Requeued_tickets_keep_their_age_and_stand_before_every_later_arrival()
    {
        QueueGen.Population(3).Sample(players =>
        {
            var run = Run(3, players, dropEvery: 2);

            var waiting = run.Matcher.Waiting.ToList();
            Assert.Equal(waiting.OrderBy(c => c.EnqueuedAt).Select(c => c.TicketId), waiting.Select(c => c.TicketId));
            Assert.All(waiting, c => Assert.Equal(players.Single(p => p.TicketId == c.TicketId).Candidate.EnqueuedAt, c.EnqueuedAt));
        }, iter: 300);
    }

    [Fact]
    public void Cones_that_filter_by_port_never_meet_symmetric_nats_without_another_path()
    {
        var matcher = new QueueMatcher(2);
        var symmetric = new QueuedPlayer(0, NatClass.Symmetric, 1, "duel", 2, "eu");
        var portRestricted = new QueuedPlayer(1, NatClass.PortRestricted, 2, "duel", 2, "eu");
        var fullCone = new QueuedPlayer(2, NatClass.FullCone, 3, "duel", 2, "eu");

        Assert.Empty(matcher.AddAndMatch([symmetric.Candidate, portRestricted.Candidate]));
        var match = Assert.Single(matcher.AddAndMatch([fullCone.Candidate]));

        Assert.Equal([symmetric.TicketId, fullCone.TicketId], match.Select(c => c.TicketId));
        Assert.Equal(portRestricted.TicketId, Assert.Single(matcher.Waiting).TicketId);
    }

    /// <summary>
    /// Adds the players one by one; every <paramref name="dropEvery"/>-th match (0: none) loses its
    /// youngest player before introduction and the others are requeued, as the session grain does.
    /// </summary>
    private static MatcherRun Run(int size, QueuedPlayer[] players, int dropEvery)
    {
        var matcher = new QueueMatcher(size);
        var run = new MatcherRun(matcher, [], []);
        var byTicket = players.ToDictionary(p => p.TicketId);
        var formed = 0;
        var pending = new Queue<IEnumerable<MatchCandidate>>(players.Select(p => new[] { p.Candidate }));
        while (pending.TryDequeue(out var arrivals))
        {
            foreach (var match in matcher.AddAndMatch(arrivals))
            {
                var members = match.Select(c => byTicket[c.TicketId]).ToArray();
                if (dropEvery > 0 && ++formed % dropEvery == 0)
                {
                    run.Dropped.Add(members[^1].Index);
                    pending.Enqueue(match[..^1]);
                    continue;
                }

                run.Matches.Add(members);
            }
        }

        return run;
    }

    private sealed record MatcherRun(QueueMatcher Matcher, List<QueuedPlayer[]> Matches, List<int> Dropped);
}
