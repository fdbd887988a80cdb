namespace Matchmaker.Bench.Queue;

/// <summary>What one <c>queue-load</c> run measured; printed as text, or as JSON with <c>--json</c>.</summary>
internal sealed record QueueLoadResult(
    string? Label,
    bool Sharded,
    int OfferedRate,
    int Seconds,
    int Regions,
    int Size,
    double SymmetricShare,
    long Tickets,
    long Enqueued,
    long EnqueueErrors,
    double EnqueuedPerSecond,
    double EnqueueP99Milliseconds,
    long MatchedPlayers,
    double MatchedPerSecond,
    long UnmatchedSymmetric,
    long UnmatchedOther,
    double TimeToMatchP50Milliseconds,
    double TimeToMatchP99Milliseconds,
    double TimeToMatchMaxMilliseconds,
    long Introductions,
    double CpuMicrosecondsPerTicket);
