using System.Diagnostics.Metrics;
using System.Net;
using Matchmaker.Gateway;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// The gateway's limits under a flood, driven on a fake clock: budgets hold exactly even when many
/// threads race for them, and a flood from any number of sources allocates nothing.
/// </summary>
public sealed class RateLimitTableTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void The_node_wide_request_budget_holds_exactly_under_a_concurrent_flood_and_refills_each_second()
    {
        var (limits, metrics) = Create(new GatewayOptions { MaxRequestsPerSecond = 500, PlayerRequestsPerSecond = 1_000 });

        for (var second = 0; second < 3; second++)
        {
            var granted = 0;
            Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            {
                if (limits.AllowRequest(new Guid(i, 0, 0, new byte[8])))
                {
                    Interlocked.Increment(ref granted);
                }
            });

            Assert.Equal(500, granted);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3 * (20_000 - 500), metrics.Read(RateLimit.GatewayRequests));
    }

    [Fact]
    public void One_player_gets_its_budget_per_second_and_no_more_while_others_are_unaffected()
    {
        var (limits, metrics) = Create(new GatewayOptions { PlayerRequestsPerSecond = 20 });
        var flooder = Guid.NewGuid();

        var granted = 0;
        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            if (limits.AllowRequest(flooder))
            {
                Interlocked.Increment(ref granted);
            }
        });

        Assert.Equal(20, granted);
        Assert.Equal(10_000 - 20, metrics.Read(RateLimit.PlayerRequests));
        Assert.True(limits.AllowRequest(Guid.NewGuid()));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limits.AllowRequest(flooder));
    }

    [Fact]
    public void Failed_joins_block_an_address_for_a_minute_from_its_first_failure()
    {
        var (limits, _) = Create(new GatewayOptions { FailedJoinsPerMinute = 10 });
        var guesser = new IPEndPoint(IPAddress.Parse("198.51.100.9"), 40000);
        var sameAddress = new IPEndPoint(guesser.Address, 40001).Serialize();

        for (var i = 0; i < 10; i++)
        {
            Assert.False(limits.JoinsBlocked(sameAddress));
            limits.CountFailedJoin(guesser);
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.True(limits.JoinsBlocked(sameAddress));
        Assert.False(limits.JoinsBlocked(new IPEndPoint(IPAddress.Parse("198.51.100.10"), 40000).Serialize()));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(limits.JoinsBlocked(sameAddress));
    }

    [Fact]
    public void Error_replies_to_a_million_distinct_sources_allocate_nothing()
    {
        var options = new GatewayOptions { ErrorRepliesPerSecond = 1 };
        var (limits, _) = Create(options);
        var source = new IPEndPoint(IPAddress.Parse("203.0.113.1"), 1).Serialize();

        // A first flood, unmeasured: the runtime's own first-use work on this thread (stubs, on-stack replacement of
        // the loop, tiering) is not the table's, and it once showed up here as a few kilobytes. A second later the
        // table's windows have rolled over, so the measured flood is answered as a fresh one.
        Flood(limits, source);
        _clock.Advance(TimeSpan.FromSeconds(1));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var allowed = Flood(limits, source);

        // Sources share the fixed table's slots: within one second, at most one reply per slot.
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.InRange(allowed, 1, options.RateLimitSlots);
    }

    /// <summary>A million error replies asked for, each from a new source, as spoofed floods look; how many were allowed.</summary>
    private static int Flood(GatewayRateLimits limits, SocketAddress source)
    {
        var allowed = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            // Rewrite the address in place: no allocation of our own per source.
            source.Buffer.Span[4] = (byte)(i >> 16);
            source.Buffer.Span[5] = (byte)(i >> 8);
            source.Buffer.Span[6] = (byte)i;
            allowed += limits.AllowErrorReply(source) ? 1 : 0;
        }

        return allowed;
    }

    private (GatewayRateLimits Limits, GatewayMetrics Metrics) Create(GatewayOptions options)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var metrics = new GatewayMetrics(meters);
        return (new GatewayRateLimits(options, _clock, metrics), metrics);
    }
}
