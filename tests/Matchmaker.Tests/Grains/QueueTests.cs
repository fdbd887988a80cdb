using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Grains.Queues;
using Matchmaker.Protocol.Control;
using Matchmaker.Tests.Infrastructure;
using Matchmaker.Tests.Queues;
using MatchedPush = Matchmaker.Tests.Grains.RecordingGatewayPush.MatchedPush;

namespace Matchmaker.Tests.Grains;

/// <summary>
/// Queue grains on the test cluster. Each test queues in a mode of its own, so its shards are fresh;
/// waits, widening and expiry move on the fixture's fake clock.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class QueueTests(ClusterFixture cluster)
{
    private readonly string _mode = "t" + Guid.NewGuid().ToString("N")[..12];
    private readonly Dictionary<Guid, (string PublicIp, NatClass Nat)> _players = [];

    [Fact]
    public async Task Two_compatible_players_are_matched_into_one_lobby_and_introduced_to_each_other()
    {
        var first = await RegisterAsync("198.51.100.60", NatClass.FullCone);
        var second = await RegisterAsync("203.0.113.60", NatClass.AddressRestricted);

        Assert.Equal(QueueStatus.Ok, await EnqueueAsync(first, Spec("eu")));
        Assert.Equal(QueueStatus.Ok, await EnqueueAsync(second, Spec("eu")));
        var (toFirst, introFirst) = await MatchedAndIntroducedAsync(first);
        var (toSecond, introSecond) = await MatchedAndIntroducedAsync(second);

        Assert.Equal(toFirst.LobbyCode, toSecond.LobbyCode);
        Assert.Equal([first.GetPrimaryKey(), second.GetPrimaryKey()], toFirst.Players.ToArray());
        Assert.Equal(introFirst.IntroductionId, introSecond.IntroductionId);
        Assert.Equal(introFirst.Secret, introSecond.Secret);
        Assert.Equal(ConnectMethod.Direct, introFirst.Method);
        Assert.Equal(second.GetPrimaryKey(), introFirst.Peer.PlayerId);
        var status = await first.GetStatusAsync();
        Assert.Equal(toFirst.LobbyCode, status.LobbyCode);
        Assert.False(status.Queued);
    }

    [Fact]
    public async Task A_symmetric_nat_is_never_matched_with_a_port_restricted_cone_even_after_every_widening()
    {
        var symmetric = await RegisterAsync("198.51.100.61", NatClass.Symmetric);
        var portRestricted = await RegisterAsync("203.0.113.61", NatClass.PortRestricted);
        await EnqueueAsync(symmetric, Spec("eu"));
        await EnqueueAsync(portRestricted, Spec("eu"));
        await WidenPastEveryStageAsync(expectedInWidest: 2);

        // A full cone can take the symmetric NAT's unpredictable port: once it widens too, those two meet.
        var fullCone = await RegisterAsync("198.51.100.62", NatClass.FullCone);
        await EnqueueAsync(fullCone, Spec(null));
        await WidenPastEveryStageAsync(expectedInWidest: 1);
        var (matched, introduction) = await MatchedAndIntroducedAsync(symmetric);

        Assert.Equal([symmetric.GetPrimaryKey(), fullCone.GetPrimaryKey()], matched.Players.ToArray());
        Assert.Equal(ConnectMethod.ConeToSymmetric, introduction.Method);
        Assert.True((await portRestricted.GetStatusAsync()).Queued);
    }

    [Fact]
    public async Task Players_of_different_regions_meet_after_the_region_widening_delay()
    {
        var european = await RegisterAsync("198.51.100.63", NatClass.AddressRestricted);
        var american = await RegisterAsync("203.0.113.63", NatClass.FullCone);
        await EnqueueAsync(european, Spec("eu"));
        await EnqueueAsync(american, Spec("us"));

        Assert.Equal(1, await Shard(european, "eu").CountAsync());
        Assert.Equal(1, await Shard(american, "us").CountAsync());
        cluster.Clock.Advance(new QueueOptions().RegionWideningDelay + TimeSpan.FromSeconds(1));
        var matched = await cluster.Pushes.NextAsync<MatchedPush>(american.GetPrimaryKey());

        Assert.Equal([european.GetPrimaryKey(), american.GetPrimaryKey()], matched.Players.ToArray());
    }

    [Fact]
    public async Task Leaving_the_queue_removes_the_ticket()
    {
        var leaver = await RegisterAsync("198.51.100.64", NatClass.FullCone);
        await EnqueueAsync(leaver, Spec("eu"));

        await leaver.LeaveQueueAsync();
        var stayer = await RegisterAsync("203.0.113.64", NatClass.FullCone);
        await EnqueueAsync(stayer, Spec("eu"));

        Assert.False((await leaver.GetStatusAsync()).Queued);
        Assert.True((await stayer.GetStatusAsync()).Queued);
        Assert.Equal(1, await Shard(stayer, "eu").CountAsync());
    }

    [Fact]
    public async Task Missed_heartbeats_remove_the_ticket()
    {
        var silent = await RegisterAsync("198.51.100.65", NatClass.FullCone);
        await EnqueueAsync(silent, Spec("eu"));

        cluster.Clock.Advance(cluster.PlayerOptions.RegistrationLifetime + cluster.PlayerOptions.HeartbeatInterval);
        var remaining = await Eventually.ReachesAsync(() => Shard(silent, "eu").CountAsync(), count => count == 0, TimeSpan.FromSeconds(40));

        Assert.Equal(0, remaining);
        Assert.False((await silent.GetStatusAsync()).Registered);
    }

    [Fact]
    public async Task A_player_who_dropped_before_introduction_sinks_the_match_and_the_others_go_back_to_the_front()
    {
        var first = await RegisterAsync("198.51.100.66", NatClass.FullCone);
        var second = await RegisterAsync("203.0.113.66", NatClass.AddressRestricted);
        var dropped = await RegisterAsync("198.51.100.67", NatClass.FullCone);
        await EnqueueAsync(first, Spec("eu", size: 3));
        await EnqueueAsync(second, Spec("eu", size: 3));

        // A ticket its player no longer holds (it left, or queued again) is what a drop looks like to the shard.
        var card = new PeerCard(dropped.GetPrimaryKey(), new(System.Net.IPAddress.Parse("198.51.100.67"), 40000), [], NatClasses.Of(NatClass.FullCone));
        var shard = Shard(first, "eu", size: 3);
        await shard.EnqueueAsync(new QueueTicket(Guid.NewGuid(), Spec("eu", size: 3), card, cluster.Clock.GetUtcNow()));
        await Eventually.ReachesAsync(shard.CountAsync, count => count == 2);
        var latecomer = await RegisterAsync("203.0.113.67", NatClass.Public);
        await EnqueueAsync(latecomer, Spec("eu", size: 3));
        var matched = await cluster.Pushes.NextAsync<MatchedPush>(first.GetPrimaryKey());

        Assert.Equal([first.GetPrimaryKey(), second.GetPrimaryKey(), latecomer.GetPrimaryKey()], matched.Players.ToArray());
        Assert.False((await dropped.GetStatusAsync()).Queued);
        Assert.Null((await dropped.GetStatusAsync()).LobbyCode);
    }

    [Theory]
    [InlineData("duel", 1, null)]
    [InlineData("duel", 17, null)]
    [InlineData("Duel", 2, null)]
    [InlineData("du/el", 2, null)]
    [InlineData("duel", 2, "")]
    [InlineData("duel", 2, "eu/west")]
    public async Task Invalid_queue_specs_are_refused(string mode, int size, string? region)
    {
        var player = await RegisterAsync("198.51.100.68", NatClass.FullCone);

        Assert.Equal(QueueStatus.InvalidSpec, await player.EnqueueAsync(new QueueSpec(mode, size, region)));
        Assert.False((await player.GetStatusAsync()).Queued);
    }

    [Fact]
    public async Task Unregistered_player_cannot_queue()
    {
        var stranger = cluster.Client.GetGrain<IPlayerGrain>(Guid.NewGuid());

        Assert.Equal(QueueStatus.NotRegistered, await EnqueueAsync(stranger, Spec("eu")));
    }

    [Fact]
    public async Task Queueing_again_with_the_same_spec_keeps_one_ticket()
    {
        var player = await RegisterAsync("198.51.100.69", NatClass.FullCone);

        await EnqueueAsync(player, Spec("eu"));
        await EnqueueAsync(player, Spec("eu"));

        Assert.Equal(1, await Shard(player, "eu").CountAsync());
    }

    /// <summary>The Matched push and the (first) introduction, in whichever order the one-way pushes arrived.</summary>
    private async Task<(MatchedPush Matched, Introduction Introduction)> MatchedAndIntroducedAsync(IPlayerGrain player)
    {
        MatchedPush? matched = null;
        Introduction? introduction = null;
        while (matched is null || introduction is null)
        {
            switch (await cluster.Pushes.NextAsync<object>(player.GetPrimaryKey()))
            {
                case MatchedPush m:
                    matched = m;
                    break;
                case Introduction i:
                    introduction ??= i;
                    break;
            }
        }

        return (matched, introduction);
    }

    /// <summary>Enqueues, then moves the clock a millisecond so the next ticket is strictly younger.</summary>
    private async Task<QueueStatus> EnqueueAsync(IPlayerGrain player, QueueSpec spec)
    {
        var status = await player.EnqueueAsync(spec);
        cluster.Clock.Advance(TimeSpan.FromMilliseconds(1));
        return status;
    }

    private QueueSpec Spec(string? region, int size = 2) => new(_mode, size, region);

    private async Task<IPlayerGrain> RegisterAsync(string publicIp, NatClass nat)
    {
        var player = await cluster.RegisterAsync(publicIp, NatClasses.Of(nat));
        _players[player.GetPrimaryKey()] = (publicIp, nat);
        return player;
    }

    /// <summary>The shard a player's ticket starts in.</summary>
    private IQueueGrain Shard(IPlayerGrain player, string region, int size = 2) =>
        cluster.Client.GetGrain<IQueueGrain>(QueueShards.PathOf(_mode, size, region, NatClasses.Of(_players[player.GetPrimaryKey()].Nat), sharded: true)[0]);

    /// <summary>
    /// Moves the clock past both widening delays (heartbeating this test's players first, so they outlive
    /// the jump) and waits until the widest shard holds the expected tickets.
    /// </summary>
    private async Task WidenPastEveryStageAsync(int expectedInWidest)
    {
        foreach (var (id, (publicIp, nat)) in _players)
        {
            await cluster.HeartbeatAsync(cluster.Client.GetGrain<IPlayerGrain>(id), publicIp, NatClasses.Of(nat));
        }

        var options = new QueueOptions();
        var widest = cluster.Client.GetGrain<IQueueGrain>(QueueShards.PathOf(_mode, 2, null, NatCapabilities.Unknown, sharded: true)[^1]);
        cluster.Clock.Advance(options.RegionWideningDelay + options.BucketWideningDelay);
        await Eventually.ReachesAsync(widest.CountAsync, count => count == expectedInWidest, TimeSpan.FromSeconds(20));
    }
}
