using System.Net;

namespace Matchmaker.Relay;

/// <summary>
/// One allocation: two sides, each bound to the endpoint that proved its token. Its mutable state is
/// touched only under its own <see cref="Gate"/> (taken after <see cref="RelayAllocationTable"/>'s lock when
/// both are held); endpoints are replaced, never mutated, so a sender may use the reference it read after
/// leaving the lock.
/// </summary>
internal sealed class RelayAllocation(Guid id, int slot, int generation, long expiresAt, long tokenExpiresAt)
{
    public Guid Id { get; } = id;

    public Lock Gate { get; } = new();

    /// <summary>Set once, when the table closes it: a forwarder that read the slot just before must not use it.</summary>
    public bool Closed { get; set; }

    public int Slot { get; } = slot;

    public uint[] Handles { get; } = [RelayHandles.Make(generation, slot, 0), RelayHandles.Make(generation, slot, 1)];

    public SocketAddress?[] Endpoints { get; } = new SocketAddress?[2];

    public ulong[] PlayerTags { get; } = new ulong[2];

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) after which the allocation is over whatever its traffic.</summary>
    public long ExpiresAt { get; } = expiresAt;

    /// <summary>When its tokens expire: until then a closed allocation is remembered, so its tokens cannot reopen it.</summary>
    public long TokenExpiresAt { get; } = tokenExpiresAt;

    public long LastActivity { get; set; }

    /// <summary>Token bucket for the bandwidth cap, in bytes.</summary>
    public double Budget { get; set; }

    public long BudgetAt { get; set; }
}
