using System.Collections.Concurrent;
using System.Numerics;

namespace Matchmaker.Gateway;

/// <summary>
/// Renewal leases player grains granted this gateway for idle players (<see cref="Grains.Models.PlayerStatus.Lease"/>):
/// while one holds, a heartbeat restating the same presence (same digest, so same route, endpoints and no lobby
/// claim) is answered here, with no grain call. The grain extended the registration by the lease before granting
/// it, and the lease runs on this gateway's clock from the moment the renewal was sent, so it ends before the grain
/// could expire the player.
/// Any other request of the player, a push to it, or a grain call for it that fails or finds it unregistered drops
/// the lease, so whatever changes the player's state reaches the grain. A drop also bumps a revocation stripe that
/// a renewal already in flight checks before it grants, so a stale grant never lands after the drop.
/// Bounded: at <see cref="GatewayOptions.MaxHeartbeatLeases"/> no lease is added (its heartbeats go to the grain as
/// before) and the refusal is counted.
/// </summary>
internal sealed class HeartbeatLeases
{
    private const int RevocationStripes = 4096;

    private readonly ConcurrentDictionary<Guid, Lease> _leases = new();
    private readonly int[] _revocations = new int[RevocationStripes];
    private readonly int _capacity;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _clock;
    private int _count;
    private long _lastSweep;

    public HeartbeatLeases(GatewayOptions options, GatewayMetrics metrics, TimeProvider clock)
    {
        _capacity = options.MaxHeartbeatLeases;
        _metrics = metrics;
        _clock = clock;
        metrics.ObserveLeases(() => Volatile.Read(ref _count));
    }

    /// <summary>Leases held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>A token to pass to <see cref="Grant"/>: taken before the renewal is sent, it tells whether the player's lease was dropped meanwhile.</summary>
    public int RevocationMark(Guid player) => Volatile.Read(ref _revocations[Stripe(player)]);

    /// <summary>The heartbeat interval to answer with, when an unexpired lease for this very presence is held.</summary>
    public bool TryAnswer(Guid player, ulong digest, out TimeSpan heartbeatInterval)
    {
        heartbeatInterval = default;
        if (_capacity == 0 || !_leases.TryGetValue(player, out var lease) || lease.Digest != digest)
        {
            return false;
        }

        if (_clock.GetTimestamp() >= lease.Until)
        {
            Remove(player, lease);
            return false;
        }

        heartbeatInterval = TimeSpan.FromMilliseconds(lease.IntervalMs);
        return true;
    }

    /// <summary>Records a lease the grain granted for a renewal sent at <paramref name="sentAt"/> (this gateway's clock).</summary>
    public void Grant(Guid player, ulong digest, int revocationMark, long sentAt, TimeSpan lease, TimeSpan heartbeatInterval)
    {
        if (_capacity == 0 || lease <= TimeSpan.Zero || RevocationMark(player) != revocationMark)
        {
            return;
        }

        var until = sentAt + (long)(lease.TotalSeconds * _clock.TimestampFrequency);
        var entry = new Lease(digest, until, (uint)heartbeatInterval.TotalMilliseconds);
        if (_leases.TryGetValue(player, out var held))
        {
            _leases.TryUpdate(player, entry, held);
        }
        else if (!Reserve())
        {
            _metrics.CountLease(LeaseEvent.Full);
            return;
        }
        else if (!_leases.TryAdd(player, entry))
        {
            Interlocked.Decrement(ref _count);
        }

        // A drop that raced this grant (a host or join forwarded while the renewal was in flight) wins.
        if (RevocationMark(player) != revocationMark)
        {
            Drop(player);
            return;
        }

        _metrics.CountLease(LeaseEvent.Granted);
    }

    /// <summary>Forgets the player's lease, if any, and stops a renewal in flight from granting one.</summary>
    public void Drop(Guid player)
    {
        Interlocked.Increment(ref _revocations[Stripe(player)]);
        if (_leases.TryRemove(player, out _))
        {
            Interlocked.Decrement(ref _count);
            _metrics.CountLease(LeaseEvent.Dropped);
        }
    }

    /// <summary>Claims a slot; when the table is full, first sweeps out expired leases (at most once a second).</summary>
    private bool Reserve()
    {
        if (Interlocked.Increment(ref _count) <= _capacity)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        var now = _clock.GetTimestamp();
        var last = Volatile.Read(ref _lastSweep);
        if (now - last < _clock.TimestampFrequency || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return false;
        }

        foreach (var (player, lease) in _leases)
        {
            if (now >= lease.Until)
            {
                Remove(player, lease);
            }
        }

        if (Interlocked.Increment(ref _count) <= _capacity)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    private void Remove(Guid player, Lease lease)
    {
        if (_leases.TryRemove(new KeyValuePair<Guid, Lease>(player, lease)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private static int Stripe(Guid player) => (int)((uint)player.GetHashCode() * 0x9E3779B1u >> (32 - BitOperations.Log2(RevocationStripes)));

    /// <summary>24 bytes of value per leased player: the presence digest, the end on this gateway's clock, the interval to answer with.</summary>
    private readonly record struct Lease(ulong Digest, long Until, uint IntervalMs);
}
