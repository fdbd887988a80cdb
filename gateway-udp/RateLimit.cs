namespace Matchmaker.Gateway;

/// <summary>The <c>limit</c> tag of <c>matchmaker_gateway_rate_limited_total</c>: which limit refused.</summary>
public enum RateLimit
{
    /// <summary>Error replies to one source IP (<c>Gateway:ErrorRepliesPerSecond</c>); the request is dropped unanswered.</summary>
    ErrorReplies,

    /// <summary>Authenticated requests through this gateway node (<c>Gateway:MaxRequestsPerSecond</c>).</summary>
    GatewayRequests,

    /// <summary>Authenticated requests of one player (<c>Gateway:PlayerRequestsPerSecond</c>).</summary>
    PlayerRequests,

    /// <summary>Joins from one source IP after too many unknown lobby codes (<c>Gateway:FailedJoinsPerMinute</c>).</summary>
    SourceFailedJoins,
}
