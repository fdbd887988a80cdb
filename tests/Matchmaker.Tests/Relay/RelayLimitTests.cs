using System.Text;
using Matchmaker.Protocol.Relay;
using Matchmaker.Relay;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Relay;

/// <summary>Caps and expiry over real sockets, with the node's clock faked so no test waits for time to pass.</summary>
public sealed class RelayLimitTests
{
    [Fact]
    public async Task A_player_past_its_allocation_cap_is_refused_with_486()
    {
        await using var relay = await RelayHarness.StartAsync(options => options.MaxAllocationsPerPlayer = 2);
        var player = Guid.NewGuid();
        var answers = new List<int?>();
        for (var i = 0; i < 3; i++)
        {
            using var client = new RelayTestClient(relay.Endpoint, relay.Ticket(Guid.NewGuid(), 0, player));
            answers.Add((await client.BindAsync()).Error);
        }

        Assert.Equal([null, null, RelayErrors.PlayerQuota.Code], answers);
        Assert.Equal(2, relay.Table.Count);
    }

    [Fact]
    public async Task A_full_node_refuses_a_new_allocation_with_508_but_serves_the_ones_it_has()
    {
        await using var relay = await RelayHarness.StartAsync(options => options.MaxAllocations = 1);
        var (a, b) = await relay.PairAsync();
        using var late = new RelayTestClient(relay.Endpoint, relay.Ticket(Guid.NewGuid(), 0, Guid.NewGuid()));

        Assert.Equal(RelayErrors.NodeFull.Code, (await late.BindAsync()).Error);
        using (a)
        using (b)
        {
            a.SendFrame("fine"u8);
            Assert.Single(await b.BarrierAsync());
        }
    }

    [Fact]
    public async Task An_expired_token_is_refused_with_437()
    {
        await using var relay = await RelayHarness.StartAsync();
        var ticket = relay.Ticket(Guid.NewGuid(), 0, Guid.NewGuid(), lifetime: TimeSpan.FromSeconds(30));
        relay.Clock.Advance(TimeSpan.FromSeconds(31));
        using var client = new RelayTestClient(relay.Endpoint, ticket);

        Assert.Equal(RelayErrors.Expired.Code, (await client.BindAsync()).Error);
    }

    [Fact]
    public async Task An_idle_allocation_expires_and_its_handles_stop_working()
    {
        await using var relay = await RelayHarness.StartAsync(options => options.IdleTimeout = TimeSpan.FromSeconds(30));
        var (a, b) = await relay.PairAsync();
        using (a)
        using (b)
        {
            relay.Clock.Advance(TimeSpan.FromSeconds(29));
            a.SendFrame("in time"u8);
            Assert.Single(await b.BarrierAsync());

            relay.Clock.Advance(TimeSpan.FromSeconds(31));
            await Eventually.ReachesAsync(() => Task.FromResult(relay.Table.Count), n => n == 0);
            a.SendFrame("too late"u8);
            await a.BarrierAsync();

            // The barrier's own bind is refused too: a valid token does not reopen an expired allocation.
            Assert.Equal(0, relay.Table.Count);
            Assert.Equal(1, relay.Metrics.Read(RelayDropReason.UnknownHandle));
            Assert.Equal(RelayErrors.Expired.Code, (await b.BindAsync()).Error);
        }
    }

    [Fact]
    public async Task A_busy_allocation_still_ends_at_the_nodes_maximum_lifetime()
    {
        await using var relay = await RelayHarness.StartAsync(options => options.MaxLifetime = TimeSpan.FromSeconds(10));
        var (a, b) = await relay.PairAsync();
        using (a)
        using (b)
        {
            for (var second = 0; second < 9; second++)
            {
                relay.Clock.Advance(TimeSpan.FromSeconds(1));
                a.SendFrame("busy"u8);
            }

            Assert.Equal(9, (await b.BarrierAsync()).Count);
            relay.Clock.Advance(TimeSpan.FromSeconds(2));
            a.SendFrame("over"u8);
            await b.BarrierAsync();

            Assert.Equal(9, relay.Metrics.ForwardedPackets);
            Assert.Equal(0, relay.Table.Count);
            Assert.Equal(RelayErrors.Expired.Code, (await a.BindAsync()).Error);
        }
    }

    [Fact]
    public async Task Traffic_over_the_bandwidth_cap_is_dropped_until_the_budget_refills()
    {
        await using var relay = await RelayHarness.StartAsync(options => options.BandwidthBytesPerSecond = 4096);
        var (a, b) = await relay.PairAsync();
        using (a)
        using (b)
        {
            var payload = new byte[1000];
            for (var i = 0; i < 10; i++)
            {
                a.SendFrame(payload);
            }

            await a.BarrierAsync();
            Assert.Equal(4, (await b.BarrierAsync()).Count);
            Assert.Equal(6, relay.Metrics.Read(RelayDropReason.Bandwidth));

            relay.Clock.Advance(TimeSpan.FromSeconds(1));
            a.SendFrame(Encoding.UTF8.GetBytes("refilled"));
            Assert.Single(await b.BarrierAsync());
        }
    }
}
