using System.Diagnostics.Metrics;
using Matchmaker.Gateway;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// The gateway's lease table (<see cref="HeartbeatLeases"/>): bounded by <c>Gateway:MaxHeartbeatLeases</c>, keyed
/// by the presence digest, ended by its own clock, and never left holding a lease that a drop raced.
/// </summary>
public sealed class HeartbeatLeaseTableTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void A_full_table_adds_no_lease_and_counts_the_refusal()
    {
        var (leases, metrics) = Create(capacity: 2);
        var players = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };

        foreach (var player in players)
        {
            Grant(leases, player, digest: 7);
        }

        Assert.Equal(2, leases.Count);
        Assert.True(leases.TryAnswer(players[0], 7, out _));
        Assert.True(leases.TryAnswer(players[1], 7, out _));
        Assert.False(leases.TryAnswer(players[2], 7, out _));
        Assert.Equal(1, metrics.Read(LeaseEvent.Full));
        Assert.Equal(2, metrics.Read(LeaseEvent.Granted));
    }

    [Fact]
    public void A_full_table_makes_room_by_sweeping_out_expired_leases()
    {
        var (leases, _) = Create(capacity: 2);
        Grant(leases, Guid.NewGuid(), digest: 7);
        Grant(leases, Guid.NewGuid(), digest: 7);
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var newcomer = Guid.NewGuid();

        Grant(leases, newcomer, digest: 7);

        Assert.Equal(1, leases.Count);
        Assert.True(leases.TryAnswer(newcomer, 7, out _));
    }

    [Fact]
    public void A_lease_answers_only_its_own_digest_and_only_until_it_ends()
    {
        var (leases, _) = Create(capacity: 16);
        var player = Guid.NewGuid();
        Grant(leases, player, digest: 7);

        Assert.True(leases.TryAnswer(player, 7, out var interval));
        Assert.Equal(Interval, interval);
        Assert.False(leases.TryAnswer(player, 8, out _));
        _clock.Advance(Lease);
        Assert.False(leases.TryAnswer(player, 7, out _));
        Assert.Equal(0, leases.Count);
    }

    [Fact]
    public void A_drop_while_the_renewal_was_in_flight_wins_over_its_grant()
    {
        var (leases, metrics) = Create(capacity: 16);
        var player = Guid.NewGuid();
        var mark = leases.RevocationMark(player);

        leases.Drop(player);
        leases.Grant(player, 7, mark, _clock.GetTimestamp(), Lease, Interval);

        Assert.False(leases.TryAnswer(player, 7, out _));
        Assert.Equal(0, leases.Count);
        Assert.Equal(0, metrics.Read(LeaseEvent.Granted));
    }

    private void Grant(HeartbeatLeases leases, Guid player, ulong digest) =>
        leases.Grant(player, digest, leases.RevocationMark(player), _clock.GetTimestamp(), Lease, Interval);

    private (HeartbeatLeases Leases, GatewayMetrics Metrics) Create(int capacity)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var metrics = new GatewayMetrics(meters);
        return (new HeartbeatLeases(new GatewayOptions { MaxHeartbeatLeases = capacity }, metrics, _clock), metrics);
    }
}
