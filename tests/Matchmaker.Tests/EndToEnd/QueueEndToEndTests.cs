using System.Text;
using Matchmaker.Client;
using Matchmaker.Grains;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.EndToEnd;

/// <summary>The SDK's queue through the real gateway on loopback: every client shares 127.0.0.1, so pairs plan <c>lan</c>.</summary>
[Collection(SiloCollection.Name)]
public sealed class QueueEndToEndTests(SiloFixture silo)
{
    private readonly string _mode = "e2e-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Two_queued_players_are_told_of_the_match_first_then_connect_and_talk_both_ways()
    {
        await using var first = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        await using var second = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });

        await first.QueueAsync(_mode);
        await second.QueueAsync(_mode);
        var atFirst = await first.CollectAsync(e => e is QueueMatched or PeerConnected, 2);
        var atSecond = await second.CollectAsync(e => e is QueueMatched or PeerConnected, 2);

        var matched = Assert.IsType<QueueMatched>(atFirst[0]);
        Assert.Equal(matched.LobbyCode, Assert.IsType<QueueMatched>(atSecond[0]).LobbyCode);
        Assert.Equal([first.PlayerId, second.PlayerId], matched.Players);
        Assert.Equal(matched.LobbyCode, first.LobbyCode);
        Assert.False(first.IsQueued);
        var firstSide = Assert.IsType<PeerConnected>(atFirst[1]).Peer;
        var secondSide = Assert.IsType<PeerConnected>(atSecond[1]).Peer;
        firstSide.Send("hello second"u8);
        secondSide.Send("hello first"u8);
        Assert.Equal("hello second", Encoding.UTF8.GetString((await second.NextAsync<PeerMessageReceived>()).Data.Span));
        Assert.Equal("hello first", Encoding.UTF8.GetString((await first.NextAsync<PeerMessageReceived>()).Data.Span));
    }

    [Fact]
    public async Task A_player_who_left_the_queue_is_not_matched()
    {
        await using var leaver = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        await using var second = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });
        await using var third = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });

        await leaver.QueueAsync(_mode);
        await leaver.LeaveQueueAsync();
        await second.QueueAsync(_mode);
        Assert.True((await silo.Grains.GetGrain<IPlayerGrain>(second.PlayerId).GetStatusAsync()).Queued);
        await third.QueueAsync(_mode);
        var matched = await second.NextAsync<QueueMatched>();

        Assert.Equal([second.PlayerId, third.PlayerId], matched.Players);
        Assert.False((await silo.Grains.GetGrain<IPlayerGrain>(leaver.PlayerId).GetStatusAsync()).Queued);
    }

    [Theory]
    [InlineData("Ranked", 2)]
    [InlineData("ranked", 1)]
    [InlineData("ranked", 17)]
    public async Task Invalid_queue_arguments_are_refused_before_anything_is_sent(string mode, int size)
    {
        await using var player = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway });

        await Assert.ThrowsAnyAsync<ArgumentException>(() => player.QueueAsync(mode, size));
        Assert.False(player.IsQueued);
    }
}
