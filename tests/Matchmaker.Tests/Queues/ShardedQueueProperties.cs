using CsCheck;
using Matchmaker.Grains.Queues;

namespace Matchmaker.Tests.Queues;

/// <summary>
/// The whole sharded queue (regions, NAT buckets, widening) over random populations of modes, sizes,
/// regions and NAT classes. CsCheck prints the seed of a failing case; pass it as <c>seed:</c> to reproduce.
/// </summary>
public sealed class ShardedQueueProperties
{
    private static readonly TimeSpan RegionDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BucketDelay = TimeSpan.FromSeconds(20);

    [Fact]
    public void Matches_are_direct_within_one_mode_and_size_and_never_hold_a_ticket_twice()
    {
        QueueGen.MixedPopulation.Sample(players =>
        {
            var network = RunToTheWidestStage(players);

            var matched = network.Matches.SelectMany(m => m.Players).ToList();
            Assert.Equal(matched.Count, matched.Distinct().Count());
            Assert.Equal(players.Length, matched.Count + network.Waiting.Count());
            Assert.All(network.Matches, m =>
            {
                Assert.Single(m.Players.Select(p => (p.Mode, p.Size)).Distinct());
                Assert.Equal(m.Players[0].Size, m.Players.Length);
                Assert.All(m.Players, a => Assert.All(m.Players.Where(b => b != a), b => Assert.True(a.HasDirectPathTo(b))));
            });
        }, iter: 300);
    }

    [Fact]
    public void Every_compatible_pair_is_eventually_matched()
    {
        QueueGen.MixedPopulation.Select(ps => ps.Where(p => p.Size == 2).ToArray()).Sample(players =>
        {
            var waiting = RunToTheWidestStage(players).Waiting.ToList();

            foreach (var a in waiting)
            {
                Assert.DoesNotContain(waiting, b => b != a && b.Mode == a.Mode && a.HasDirectPathTo(b));
            }
        }, iter: 300);
    }

    [Fact]
    public void Before_widening_a_regional_ticket_is_only_matched_within_its_region_and_bucket()
    {
        QueueGen.MixedPopulation.Sample(players =>
        {
            var network = new QueueNetwork(sharded: true, RegionDelay, BucketDelay);
            foreach (var player in players)
            {
                network.Enqueue(player);
            }

            Assert.All(network.Matches.Where(m => QueueShards.StageOf(m.Shard) == 0), m =>
            {
                Assert.Single(m.Players.Select(p => p.Region).Distinct());
                Assert.Single(m.Players.Select(p => NatBucket.Of(NatClasses.Of(p.Nat))).Distinct());
            });
        }, iter: 300);
    }

    [Fact]
    public void The_unsharded_reference_forms_matches_under_the_same_rules()
    {
        QueueGen.MixedPopulation.Select(ps => ps.Where(p => p.Size == 2).ToArray()).Sample(players =>
        {
            var network = new QueueNetwork(sharded: false, RegionDelay, BucketDelay);
            foreach (var player in players)
            {
                network.Enqueue(player);
            }

            var waiting = network.Waiting.ToList();
            Assert.All(network.Matches, m => Assert.True(m.Players[0].HasDirectPathTo(m.Players[1])));
            Assert.All(waiting, a => Assert.DoesNotContain(waiting, b => b != a && b.Mode == a.Mode && a.HasDirectPathTo(b)));
        }, iter: 200);
    }

    /// <summary>Enqueues everyone, then sweeps past both delays so every unmatched ticket reaches the widest stage.</summary>
    private static QueueNetwork RunToTheWidestStage(QueuedPlayer[] players)
    {
        var network = new QueueNetwork(sharded: true, RegionDelay, BucketDelay);
        foreach (var player in players)
        {
            network.Enqueue(player);
        }

        var last = players.Length == 0 ? QueuedPlayer.Epoch : players.Max(p => p.Candidate.EnqueuedAt);
        network.Sweep(last + RegionDelay);
        network.Sweep(last + BucketDelay);
        return network;
    }
}
