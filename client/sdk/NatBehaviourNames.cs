using Matchmaker.Protocol.Control;

namespace Matchmaker.Client;

/// <summary>The words <c>mm nat</c> prints for mapping and filtering behaviour (RFC 4787 terms).</summary>
public static class NatBehaviourNames
{
    public static string ToWireName(this NatMapping mapping) => mapping switch
    {
        NatMapping.EndpointIndependent => "endpoint-independent",
        NatMapping.AddressDependent => "address-dependent",
        NatMapping.AddressAndPortDependent => "address-and-port-dependent",
        _ => "unknown",
    };

    public static string ToWireName(this NatFiltering filtering) => filtering switch
    {
        NatFiltering.EndpointIndependent => "endpoint-independent",
        NatFiltering.AddressDependent => "address-dependent",
        NatFiltering.AddressAndPortDependent => "address-and-port-dependent",
        _ => "unknown",
    };
}
