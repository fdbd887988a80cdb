namespace Matchmaker.Bench.Load;

/// <summary>What one <c>stun-load</c> run measured; printed as one line, or as JSON with <c>--json</c>.</summary>
internal sealed record StunLoadResult(
    string? Label,
    string Target,
    int Sockets,
    int Window,
    int Seconds,
    int WarmupSeconds,
    bool Fingerprint,
    long Sent,
    long Answered,
    long Counted,
    double MeasuredSeconds,
    double ResponsesPerSecond,
    long Lost,
    double LossPercent,
    long Stale,
    long Invalid,
    long SendErrors,
    double RttP50Microseconds,
    double RttP99Microseconds,
    double RttMaxBucketMicroseconds,
    bool CappedByMaxRequests,
    IReadOnlyList<long> PerSecond);
