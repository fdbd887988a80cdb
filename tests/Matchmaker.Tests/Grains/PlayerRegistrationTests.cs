using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class PlayerRegistrationTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Heartbeat_registers_a_player_and_reports_the_interval()
    {
        var player = await cluster.RegisterAsync("198.51.100.10");

        var status = await player.GetStatusAsync();

        Assert.True(status.Registered);
        Assert.Equal(cluster.PlayerOptions.HeartbeatInterval, status.HeartbeatInterval);
    }

    [Fact]
    public async Task Registration_expires_after_missed_heartbeats()
    {
        var player = await cluster.RegisterAsync("198.51.100.11");

        cluster.Clock.Advance(cluster.PlayerOptions.RegistrationLifetime + cluster.PlayerOptions.HeartbeatInterval);
        var status = await Eventually.ReachesAsync(player.GetStatusAsync, s => !s.Registered);

        Assert.False(status.Registered);
    }

    [Fact]
    public async Task Heartbeats_within_the_lifetime_keep_the_registration()
    {
        var player = await cluster.RegisterAsync("198.51.100.12");

        for (var beat = 0; beat < 5; beat++)
        {
            cluster.Clock.Advance(cluster.PlayerOptions.HeartbeatInterval);
            await cluster.HeartbeatAsync(player, "198.51.100.12");
        }

        Assert.True((await player.GetStatusAsync()).Registered);
    }
}
