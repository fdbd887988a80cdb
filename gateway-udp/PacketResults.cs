namespace Matchmaker.Gateway;

/// <summary>The fixed <c>result</c> tag values of <c>matchmaker_gateway_packets_total</c>.</summary>
public static class PacketResults
{
    public const string Ok = "ok";
    public const string Error = "error";

    /// <summary>Not STUN, truncated, bad fingerprint, or a class/method the gateway never accepts.</summary>
    public const string Malformed = "malformed";

    /// <summary>Unproven source asked for a control operation: answered with a cookie challenge only.</summary>
    public const string Challenged = "challenged";

    /// <summary>Integrity missing or wrong.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>The reply would have exceeded 3× the request to an unproven source, so none was sent.</summary>
    public const string AmplificationDropped = "amplification-dropped";

    /// <summary>Too many requests already waiting on the cluster.</summary>
    public const string Overloaded = "overloaded";
}
