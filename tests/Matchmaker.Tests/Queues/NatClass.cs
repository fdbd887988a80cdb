namespace Matchmaker.Tests.Queues;

/// <summary>The NAT situations the queue properties draw players from (the lab's classes, plus flags that open a path).</summary>
public enum NatClass
{
    Public,
    FullCone,
    AddressRestricted,
    PortRestricted,
    Symmetric,

    /// <summary>A one-IP gateway could not classify it; the planner treats it as a cone that filters.</summary>
    Unclassified,
    SymmetricWithIpv6,
    SymmetricWithUpnp,
}
