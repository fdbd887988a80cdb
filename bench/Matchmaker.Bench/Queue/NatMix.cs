using Matchmaker.Protocol.Control;

namespace Matchmaker.Bench.Queue;

/// <summary>
/// A realistic spread of home NATs: mostly port-restricted cones, a sizeable share of full and
/// address-restricted cones, a few open hosts and unclassified players, and a given share of symmetric NATs.
/// </summary>
internal static class NatMix
{
    private static readonly NatCapabilities PortRestricted = new(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent, false, false, false);
    private static readonly NatCapabilities AddressRestricted = new(NatMapping.EndpointIndependent, NatFiltering.AddressDependent, false, false, false);
    private static readonly NatCapabilities FullCone = new(NatMapping.EndpointIndependent, NatFiltering.EndpointIndependent, false, false, false);
    private static readonly NatCapabilities Symmetric = new(NatMapping.AddressAndPortDependent, NatFiltering.AddressAndPortDependent, false, false, false);

    public static NatCapabilities Draw(Random random, double symmetricShare)
    {
        var u = random.NextDouble();
        if (u < symmetricShare)
        {
            return Symmetric;
        }

        // The non-symmetric rest: 50% port-restricted, 20% address-restricted, 20% full cone / open, 10% unclassified.
        var rest = (u - symmetricShare) / (1 - symmetricShare);
        return rest switch
        {
            < 0.5 => PortRestricted,
            < 0.7 => AddressRestricted,
            < 0.9 => FullCone,
            _ => NatCapabilities.Unknown,
        };
    }

    public static bool IsSymmetric(NatCapabilities capabilities) => capabilities.Mapping is NatMapping.AddressDependent or NatMapping.AddressAndPortDependent;
}
