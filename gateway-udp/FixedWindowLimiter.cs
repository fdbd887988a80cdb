using System.Numerics;

namespace Matchmaker.Gateway;

/// <summary>
/// Rate limits keyed by source address or player id, in a table allocated once at start: a flood from
/// a million sources costs the same memory as one (nothing is stored per source). Each slot is one
/// fixed-window counter packed into a <see cref="long"/> (window number ‖ count) and updated with a
/// compare-and-swap, so the receive threads never lock or allocate. Keys hash into slots with the
/// process's randomly seeded <see cref="HashCode"/>, so nobody can aim collisions at a victim; keys
/// that do share a slot share its budget, which errs toward refusing, never toward letting through.
/// </summary>
internal sealed class FixedWindowLimiter
{
    private readonly long[] _slots;
    private readonly int _mask;
    private readonly uint _limit;
    private readonly long _windowSeconds;

    public FixedWindowLimiter(int slots, int limit, TimeSpan window)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, slots));
        _slots = new long[size];
        _mask = size - 1;
        _limit = (uint)limit;
        _windowSeconds = Math.Max(1, (long)window.TotalSeconds);
    }

    /// <summary>Counts one event for the key and says whether it was still within the limit.</summary>
    public bool TryAcquire(ReadOnlySpan<byte> key, long nowSeconds) => Update(key, nowSeconds, consume: true);

    /// <summary>Whether the key's budget for the current window is used up, without counting anything.</summary>
    public bool IsExhausted(ReadOnlySpan<byte> key, long nowSeconds) => !Update(key, nowSeconds, consume: false);

    private bool Update(ReadOnlySpan<byte> key, long nowSeconds, bool consume)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        ref var slot = ref _slots[hash.ToHashCode() & _mask];
        var now = (uint)nowSeconds;
        while (true)
        {
            // A window opens at a key's first event, not on a clock boundary, so a burst cannot
            // straddle two windows to get twice the limit.
            var observed = Volatile.Read(ref slot);
            var start = (uint)(observed >> 32);
            var current = observed != 0 && now - start < _windowSeconds;
            var window = current ? start : now;
            var count = current ? (uint)observed : 0;
            if (count >= _limit)
            {
                return false;
            }

            if (!consume)
            {
                return true;
            }

            var updated = ((long)window << 32) | (count + 1);
            if (Interlocked.CompareExchange(ref slot, updated, observed) == observed)
            {
                return true;
            }
        }
    }
}
