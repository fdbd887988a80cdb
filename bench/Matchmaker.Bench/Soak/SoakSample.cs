namespace Matchmaker.Bench.Soak;

/// <summary>One point of a soak run: the server process's memory and the running totals at that moment.</summary>
/// <remarks><see cref="GcHeapBytes"/>: managed heap after the last collection, from the silo's /metrics; 0 when not scraped, -1 when the scrape timed out.</remarks>
public sealed record SoakSample(double ElapsedSeconds, long RssBytes, long GcHeapBytes, long Requests, long Errors, long LobbiesOpened, int PlayersRegistered);
