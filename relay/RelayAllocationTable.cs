using System.Net;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;

namespace Matchmaker.Relay;

/// <summary>
/// Every allocation on this node, found by id on a bind and by handle (a direct slot index) on every data
/// frame. Binds create allocations, so the node keeps nothing for a reservation nobody uses. Two levels of
/// lock: the table's for binds, closes and sweeps, and each allocation's own for its per-packet state, so
/// the forwarding step — a few comparisons, no allocation — never takes the table's and receive loops
/// forwarding different allocations never wait on each other. Order: table, then allocation. Which allocations opened and
/// closed since the last heartbeat is kept for the cluster, which counts each player's allocations
/// across every node (<see cref="TakeChanges"/>); it may revoke a reservation nobody bound in time
/// (<see cref="Revoke"/>).
/// </summary>
internal sealed class RelayAllocationTable
{
    private readonly Lock _gate = new();
    private readonly RelayOptions _options;
    private readonly RelayMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly Dictionary<Guid, RelayAllocation> _byId = [];
    private readonly Dictionary<ulong, int> _perPlayer = [];
    private readonly Dictionary<Guid, long> _retired = [];

    // Bounded by the node's capacity and allocated up front, so noting a close on the forwarding path
    // allocates nothing. Full (the cluster unreachable for a long time): further changes are not noted,
    // and the cluster's own expiry of the reservations stands in.
    private readonly List<Guid> _opened;
    private readonly List<Guid> _closed;
    private readonly RelayAllocation?[] _slots;
    private readonly int[] _generations;
    private readonly Stack<int> _free;
    private readonly long _idleTicks;
    private readonly double _bytesPerTick;

    public RelayAllocationTable(RelayOptions options, RelayMetrics metrics, TimeProvider clock)
    {
        _options = options;
        _metrics = metrics;
        _clock = clock;
        _slots = new RelayAllocation?[options.MaxAllocations];
        _generations = new int[options.MaxAllocations];
        _free = new Stack<int>(Enumerable.Range(0, options.MaxAllocations).Reverse());
        _opened = new List<Guid>(options.MaxAllocations);
        _closed = new List<Guid>(options.MaxAllocations);
        _idleTicks = Ticks(options.IdleTimeout);
        _bytesPerTick = (double)options.BandwidthBytesPerSecond / clock.TimestampFrequency;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    public RelayBindResult Bind(in RelayToken token, SocketAddress source)
    {
        var now = _clock.GetTimestamp();
        var left = DateTimeOffset.FromUnixTimeSeconds(token.ExpiresAtUnixSeconds) - _clock.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            return RelayBindResult.Refuse(RelayDropReason.Expired);
        }

        lock (_gate)
        {
            if (_byId.TryGetValue(token.AllocationId, out var allocation) && IsOverLocked(allocation, now))
            {
                Close(allocation);
                allocation = null;
            }

            // Idle expiry and the maximum lifetime would mean nothing if a still-valid token could reopen the allocation.
            if (allocation is null && _retired.ContainsKey(token.AllocationId))
            {
                return RelayBindResult.Refuse(RelayDropReason.Expired);
            }

            var side = token.Side;
            var bound = allocation?.Endpoints[side];
            if (bound is null)
            {
                if (allocation is null && _byId.Count >= _options.MaxAllocations)
                {
                    return RelayBindResult.Refuse(RelayDropReason.NodeFull);
                }

                if (_perPlayer.GetValueOrDefault(token.PlayerTag) >= _options.MaxAllocationsPerPlayer)
                {
                    return RelayBindResult.Refuse(RelayDropReason.PlayerQuota);
                }

                allocation ??= Open(token.AllocationId, left < _options.MaxLifetime ? left : _options.MaxLifetime, left, now);
                lock (allocation.Gate)
                {
                    allocation.Endpoints[side] = Copy(source);
                }

                allocation.PlayerTags[side] = token.PlayerTag;
                _perPlayer[token.PlayerTag] = _perPlayer.GetValueOrDefault(token.PlayerTag) + 1;
            }
            else if (!bound.Equals(source))
            {
                // A symmetric NAT gives the player a new port when its mapping times out or is rebuilt: the
                // same token from the same IP moves the side. Another IP never does, even with a valid bind
                // (a replayed one): the allocation stays with the host that proved it first.
                if (!SocketAddressParts.GetAddressBytes(bound).SequenceEqual(SocketAddressParts.GetAddressBytes(source)))
                {
                    return RelayBindResult.Refuse(RelayDropReason.WrongSource);
                }

                lock (allocation!.Gate)
                {
                    allocation.Endpoints[side] = Copy(source);
                }
            }

            lock (allocation!.Gate)
            {
                allocation.LastActivity = now;
            }

            return new RelayBindResult(null, allocation.Handles[side], _clock.GetElapsedTime(now, allocation.ExpiresAt));
        }
    }

    /// <summary>
    /// The forwarding decision for one data frame of <paramref name="length"/> payload bytes: null and the
    /// other side's address and handle, or why not. Allocation-free.
    /// </summary>
    public RelayDropReason? Forward(uint handle, SocketAddress source, int length, out SocketAddress? destination, out uint destinationHandle)
    {
        destination = null;
        destinationHandle = 0;
        var now = _clock.GetTimestamp();
        var slot = RelayHandles.Slot(handle);
        var side = RelayHandles.Side(handle);
        if (slot >= _slots.Length || Volatile.Read(ref _slots[slot]) is not { } allocation || allocation.Handles[side] != handle)
        {
            return RelayDropReason.UnknownHandle;
        }

        lock (allocation.Gate)
        {
            // Closed after the slot was read: its handles are dead, as if the slot had been empty.
            if (allocation.Closed)
            {
                return RelayDropReason.UnknownHandle;
            }

            if (allocation.Endpoints[side] is not { } bound || !bound.Equals(source))
            {
                return RelayDropReason.WrongSource;
            }

            if (!IsOver(allocation, now))
            {
                if (allocation.Endpoints[1 - side] is not { } other)
                {
                    return RelayDropReason.PeerUnbound;
                }

                var budget = Math.Min(_options.BandwidthBytesPerSecond, allocation.Budget + ((now - allocation.BudgetAt) * _bytesPerTick));
                allocation.BudgetAt = now;
                if (budget < length)
                {
                    allocation.Budget = budget;
                    return RelayDropReason.Bandwidth;
                }

                allocation.Budget = budget - length;
                allocation.LastActivity = now;
                destination = other;
                destinationHandle = allocation.Handles[1 - side];
                return null;
            }
        }

        // Over: closing needs the table's lock, which is taken before an allocation's, never inside it.
        lock (_gate)
        {
            if (!allocation.Closed)
            {
                Close(allocation);
            }
        }

        return RelayDropReason.Expired;
    }

    /// <summary>Closes idle and expired allocations; run periodically so quiet ones do not hold slots.</summary>
    public int Sweep()
    {
        var now = _clock.GetTimestamp();
        var closed = 0;
        lock (_gate)
        {
            foreach (var allocation in _slots)
            {
                if (allocation is not null && IsOverLocked(allocation, now))
                {
                    Close(allocation);
                    closed++;
                }
            }

            foreach (var (id, until) in _retired)
            {
                if (now >= until)
                {
                    _retired.Remove(id);
                }
            }
        }

        return closed;
    }

    /// <summary>
    /// Allocations opened and closed since the last <see cref="Acknowledge"/>, oldest first: the heartbeat
    /// sends them and acknowledges what the cluster took, so a failed heartbeat loses nothing.
    /// </summary>
    public (Guid[] Opened, Guid[] Closed) TakeChanges()
    {
        lock (_gate)
        {
            return ([.. _opened], [.. _closed]);
        }
    }

    public void Acknowledge(int opened, int closed)
    {
        lock (_gate)
        {
            _opened.RemoveRange(0, Math.Min(opened, _opened.Count));
            _closed.RemoveRange(0, Math.Min(closed, _closed.Count));
        }
    }

    /// <summary>
    /// The cluster withdrew this reservation (nobody bound it in time): closes it if a late bind opened it,
    /// and refuses its tokens from now on, as for an allocation that closed.
    /// </summary>
    public void Revoke(Guid id)
    {
        var now = _clock.GetTimestamp();
        lock (_gate)
        {
            if (_byId.TryGetValue(id, out var allocation))
            {
                Close(allocation);
                return;
            }

            // The token's own expiry is unknown here; the node's maximum lifetime bounds every allocation it could open.
            Retire(id, now + Ticks(_options.MaxLifetime));
        }
    }

    private RelayAllocation Open(Guid id, TimeSpan lifetime, TimeSpan tokenLifetime, long now)
    {
        var slot = _free.Pop();
        var allocation = new RelayAllocation(id, slot, ++_generations[slot], now + Ticks(lifetime), now + Ticks(tokenLifetime))
        {
            LastActivity = now,
            Budget = _options.BandwidthBytesPerSecond,
            BudgetAt = now,
        };
        Volatile.Write(ref _slots[slot], allocation);
        _byId[id] = allocation;
        Note(_opened, id);
        _metrics.AllocationOpened();
        return allocation;
    }

    private void Close(RelayAllocation allocation)
    {
        lock (allocation.Gate)
        {
            allocation.Closed = true;
        }

        _byId.Remove(allocation.Id);
        Retire(allocation.Id, allocation.TokenExpiresAt);
        Note(_closed, allocation.Id);
        Volatile.Write(ref _slots[allocation.Slot], null);
        _free.Push(allocation.Slot);
        for (var side = 0; side < 2; side++)
        {
            if (allocation.Endpoints[side] is not null)
            {
                var tag = allocation.PlayerTags[side];
                if (--_perPlayer[tag] == 0)
                {
                    _perPlayer.Remove(tag);
                }
            }
        }

        _metrics.AllocationClosed();
    }

    private void Retire(Guid id, long until)
    {
        // Bounded: beyond a few tables' worth of churn the oldest memory goes first (a token it forgets can
        // reopen one allocation, which the node's caps still bound).
        if (_retired.Count >= 4 * _slots.Length && !_retired.ContainsKey(id))
        {
            _retired.Remove(_retired.Keys.First());
        }

        _retired[id] = until;
    }

    private static void Note(List<Guid> changes, Guid id)
    {
        if (changes.Count < changes.Capacity)
        {
            changes.Add(id);
        }
    }

    private bool IsOverLocked(RelayAllocation allocation, long now)
    {
        lock (allocation.Gate)
        {
            return IsOver(allocation, now);
        }
    }

    private bool IsOver(RelayAllocation allocation, long now) => now >= allocation.ExpiresAt || now - allocation.LastActivity > _idleTicks;

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _clock.TimestampFrequency);

    private static SocketAddress Copy(SocketAddress source)
    {
        var copy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }
}
