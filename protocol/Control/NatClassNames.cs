namespace Matchmaker.Protocol.Control;

/// <summary>
/// The classic NAT names (DESIGN.md: full cone = EIM+EIF, address-restricted = EIM+ADF, port-restricted =
/// EIM+APDF, symmetric = any endpoint-dependent mapping) used as the <c>nat_pair</c> metric tag. A fixed,
/// small vocabulary: the pair tag has at most 21 values, whatever clients send.
/// </summary>
public static class NatClassNames
{
    public const string Unknown = "unknown";

    public static string ClassOf(NatCapabilities capabilities) => (capabilities.Mapping, capabilities.Filtering) switch
    {
        (NatMapping.AddressDependent or NatMapping.AddressAndPortDependent, _) => "symmetric",
        (NatMapping.EndpointIndependent, NatFiltering.EndpointIndependent) => "full-cone",
        (NatMapping.EndpointIndependent, NatFiltering.AddressDependent) => "address-restricted",
        (NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent) => "port-restricted",
        // Mapping measured, filtering not (a one-IP gateway can still test change-port): some cone.
        (NatMapping.EndpointIndependent, _) => "cone",
        _ => Unknown,
    };

    /// <summary>The two classes in ordinal order joined by '/': the same pair whichever side reports it.</summary>
    public static string PairOf(NatCapabilities one, NatCapabilities other)
    {
        var a = ClassOf(one);
        var b = ClassOf(other);
        return string.CompareOrdinal(a, b) <= 0 ? $"{a}/{b}" : $"{b}/{a}";
    }
}
