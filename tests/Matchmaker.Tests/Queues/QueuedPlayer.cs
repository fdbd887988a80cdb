using System.Net;
using Matchmaker.Grains.Queues;

namespace Matchmaker.Tests.Queues;

/// <summary>A generated player: its NAT, public address (a small pool, so some share a NAT), mode, size and region.</summary>
public sealed record QueuedPlayer(int Index, NatClass Nat, int AddressIndex, string Mode, int Size, string? Region)
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public Guid TicketId { get; } = new(Index, 0, 0, new byte[8]);

    /// <summary>Players arrive 10 ms apart, in index order.</summary>
    public MatchCandidate Candidate => new(TicketId, Epoch.AddMilliseconds(Index * 10), new IPAddress([198, 18, 0, (byte)AddressIndex]), NatClasses.Of(Nat));

    public bool HasDirectPathTo(QueuedPlayer other) => NatClasses.HaveDirectPath(Nat, other.Nat, AddressIndex == other.AddressIndex);
}
