using CsCheck;

namespace Matchmaker.Tests.Queues;

/// <summary>Random queue populations: NAT classes weighted towards the real world's mix, a few modes and regions.</summary>
internal static class QueueGen
{
    public static readonly Gen<NatClass> Nat = Gen.Frequency(
        (2, Gen.Const(NatClass.Public)),
        (3, Gen.Const(NatClass.FullCone)),
        (3, Gen.Const(NatClass.AddressRestricted)),
        (6, Gen.Const(NatClass.PortRestricted)),
        (4, Gen.Const(NatClass.Symmetric)),
        (1, Gen.Const(NatClass.Unclassified)),
        (1, Gen.Const(NatClass.SymmetricWithIpv6)),
        (1, Gen.Const(NatClass.SymmetricWithUpnp)));

    public static readonly Gen<string?> Region = Gen.OneOf(Gen.Const<string?>("eu"), Gen.Const<string?>("us"), Gen.Const<string?>("ap"), Gen.Const((string?)null));

    /// <summary>Players of one mode and size (one matcher's view), with regions, in arrival order.</summary>
    public static Gen<QueuedPlayer[]> Population(int size) =>
        Gen.Select(Nat, Gen.Int[0, 60], Region).Array[0, 80]
            .Select(rows => rows.Select((row, i) => new QueuedPlayer(i, row.Item1, row.Item2, "duel", size, row.Item3)).ToArray());

    /// <summary>Players of mixed modes and sizes (the whole sharded queue's view).</summary>
    public static readonly Gen<QueuedPlayer[]> MixedPopulation =
        Gen.Select(Nat, Gen.Int[0, 60], Region, Gen.OneOf(Gen.Const("duel"), Gen.Const("squad")), Gen.Int[2, 3]).Array[0, 120]
            .Select(rows => rows.Select((row, i) => new QueuedPlayer(i, row.Item1, row.Item2, row.Item4, row.Item5, row.Item3)).ToArray());
}
