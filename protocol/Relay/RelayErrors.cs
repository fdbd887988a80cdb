using Matchmaker.Protocol.Control;

namespace Matchmaker.Protocol.Relay;

/// <summary>Error answers to a relay bind, after RFC 8656 §18 where a TURN code means the same thing.</summary>
public static class RelayErrors
{
    /// <summary>The token's lifetime (or the node's maximum) is over: ask the cluster for another.</summary>
    public static readonly ProtocolError Expired = new(437, "allocation-expired");

    /// <summary>RFC 8656's 486 Allocation Quota Reached: this player holds the most allocations a node allows.</summary>
    public static readonly ProtocolError PlayerQuota = new(486, "allocation-quota");

    /// <summary>RFC 8656's 508 Insufficient Capacity: the node holds its maximum number of allocations.</summary>
    public static readonly ProtocolError NodeFull = new(508, "insufficient-capacity");

    /// <summary>The source address is one a relay must never forward to (loopback, private, multicast, …).</summary>
    public static readonly ProtocolError ForbiddenAddress = new(403, "forbidden-address");
}
