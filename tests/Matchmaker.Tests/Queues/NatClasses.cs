using Matchmaker.Protocol.Control;

namespace Matchmaker.Tests.Queues;

/// <summary>
/// Capabilities for each <see cref="NatClass"/> and, stated independently of the planner's code, which
/// pairs have a direct path (DESIGN.md's order and the README's proven connection matrix).
/// </summary>
internal static class NatClasses
{
    public static NatCapabilities Of(NatClass nat) => nat switch
    {
        NatClass.Public or NatClass.FullCone => new(NatMapping.EndpointIndependent, NatFiltering.EndpointIndependent, false, false, false),
        NatClass.AddressRestricted => new(NatMapping.EndpointIndependent, NatFiltering.AddressDependent, false, false, false),
        NatClass.PortRestricted => new(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent, false, false, false),
        NatClass.Symmetric => new(NatMapping.AddressAndPortDependent, NatFiltering.AddressAndPortDependent, false, false, false),
        NatClass.SymmetricWithIpv6 => new(NatMapping.AddressAndPortDependent, NatFiltering.AddressAndPortDependent, true, false, false),
        NatClass.SymmetricWithUpnp => new(NatMapping.AddressAndPortDependent, NatFiltering.AddressAndPortDependent, false, true, false),
        _ => NatCapabilities.Unknown,
    };

    public static bool HaveDirectPath(NatClass a, NatClass b, bool samePublicAddress)
    {
        if (samePublicAddress || a is NatClass.SymmetricWithUpnp || b is NatClass.SymmetricWithUpnp
            || (a is NatClass.SymmetricWithIpv6 && b is NatClass.SymmetricWithIpv6))
        {
            return true;
        }

        return (IsSymmetric(a), IsSymmetric(b)) switch
        {
            (false, false) => true,
            (true, true) => false,
            _ => AcceptsSymmetric(IsSymmetric(a) ? b : a),
        };
    }

    private static bool IsSymmetric(NatClass nat) => nat is NatClass.Symmetric or NatClass.SymmetricWithIpv6 or NatClass.SymmetricWithUpnp;

    private static bool AcceptsSymmetric(NatClass nat) => nat is NatClass.Public or NatClass.FullCone or NatClass.AddressRestricted;
}
