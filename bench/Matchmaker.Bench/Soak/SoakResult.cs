namespace Matchmaker.Bench.Soak;

/// <summary>
/// What a soak run measured. Memory growth is taken from the first sample after the ramp (every player
/// registered, the JIT and pools warm) to the last, so start-up cost is not mistaken for a leak.
/// </summary>
public sealed record SoakResult(int Players, double DurationSeconds, IReadOnlyList<SoakSample> Samples, IReadOnlyDictionary<string, long> ErrorsByKind)
{
    public long Requests => Samples.Count == 0 ? 0 : Samples[^1].Requests;

    public long Errors => ErrorsByKind.Values.Sum();

    public long LobbiesOpened => Samples.Count == 0 ? 0 : Samples[^1].LobbiesOpened;

    public SoakSample? Baseline { get; init; }

    public long RssGrowthBytes => Baseline is null || Samples.Count == 0 ? 0 : Samples[^1].RssBytes - Baseline.RssBytes;

    public long PeakRssBytes => Samples.Count == 0 ? 0 : Samples.Max(s => s.RssBytes);

    /// <summary>Live heap growth from the baseline to the last sample that has a live-heap figure.</summary>
    public long GcHeapGrowthBytes => Baseline is null || Baseline.GcHeapBytes < 0 || !Samples.Any(s => s.GcHeapBytes >= 0)
        ? 0
        : Samples.Last(s => s.GcHeapBytes >= 0).GcHeapBytes - Baseline.GcHeapBytes;
}
