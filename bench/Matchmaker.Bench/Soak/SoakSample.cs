namespace Matchmaker.Bench.Soak;

/// <summary>One point of a soak run: the server process's memory and the running totals at that moment.</summary>
/// <remarks><see cref="GcHeapBytes"/>: the silo's live managed heap, measured right after a full collection the soak induces (<see cref="LiveHeapProbe"/>); 0 without <c>--metrics</c>, -1 when it timed out.</remarks>
public sealed record SoakSample(double ElapsedSeconds, long RssBytes, long GcHeapBytes, long Requests, long Errors, long LobbiesOpened, int PlayersRegistered);
