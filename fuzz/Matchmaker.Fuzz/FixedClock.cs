namespace Matchmaker.Fuzz;

/// <summary>
/// Wall-clock time frozen at one instant, so a token's expiry in the seeds means the same thing on every
/// run and afl++ sees the same path for the same input. Timestamps still advance (idle and bandwidth
/// arithmetic), but a run lasts microseconds against limits of seconds.
/// </summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
