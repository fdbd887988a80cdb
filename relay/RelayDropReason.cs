namespace Matchmaker.Relay;

/// <summary>Why a datagram was not forwarded or a bind not honoured; the <c>reason</c> tag of <c>matchmaker_relay_drops_total</c>.</summary>
public enum RelayDropReason
{
    /// <summary>Neither a data frame nor a well-formed bind request.</summary>
    Malformed,

    /// <summary>A bind whose MESSAGE-INTEGRITY-SHA256 does not verify under the token's key: a forged or altered token.</summary>
    Unauthenticated,

    /// <summary>A data frame naming no live allocation side.</summary>
    UnknownHandle,

    /// <summary>From an address other than the one that bound this side (a third host, or a replayed bind from another IP).</summary>
    WrongSource,

    /// <summary>The other side has not bound yet.</summary>
    PeerUnbound,

    /// <summary>Idle too long, past its lifetime, or a bind with an expired token.</summary>
    Expired,

    /// <summary>Over the allocation's bandwidth cap.</summary>
    Bandwidth,

    /// <summary>The node holds <c>Relay:MaxAllocations</c>.</summary>
    NodeFull,

    /// <summary>The player holds <c>Relay:MaxAllocationsPerPlayer</c> on this node.</summary>
    PlayerQuota,

    /// <summary>The source is an address the relay never forwards to (loopback, private, …).</summary>
    ForbiddenAddress,
}
