namespace Matchmaker.Gateway;

/// <summary>The <c>result</c> tag of <c>matchmaker_gateway_packets_total</c>.</summary>
public enum PacketResult
{
    Ok,
    Error,

    /// <summary>Not STUN, truncated, bad fingerprint, or a class/method the gateway never accepts.</summary>
    Malformed,

    /// <summary>Unproven source asked for a control operation: answered with a cookie challenge only.</summary>
    Challenged,

    /// <summary>Integrity missing or wrong.</summary>
    Unauthenticated,

    /// <summary>The reply would have exceeded 3× the request to an unproven source, so none was sent.</summary>
    AmplificationDropped,

    /// <summary>Too many requests already waiting on the cluster.</summary>
    Overloaded,

    /// <summary>A control request that arrived after a graceful stop began refusing new work; the client retries elsewhere or later.</summary>
    Draining,

    /// <summary>An acknowledgement for no pending push: a duplicate after a retransmission crossed it, or a stray.</summary>
    Stale,

    /// <summary>Refused by a rate limit or quota (which one: <c>matchmaker_gateway_rate_limited_total{limit}</c>).</summary>
    RateLimited,

    /// <summary>A heartbeat answered by the gateway under the player grain's renewal lease, with no grain call.</summary>
    Leased,

    /// <summary>
    /// A client's retransmission of a request still waiting on the cluster: dropped, since the original's answer
    /// (same transaction id) serves it, so a slow cluster is never asked the same thing twice at once.
    /// </summary>
    Retransmission,
}
