using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;

namespace Matchmaker.Bench.Soak;

/// <summary>
/// The silo's live managed heap: a full blocking collection induced through the runtime's diagnostics
/// port (an EventPipe session with the GCHeapCollect keyword, what dotnet-gcdump does), then the heap
/// size after it from the silo's own /metrics. "Heap after the last collection" alone drifts with the
/// server GC's sizing and with garbage not yet reached by a gen2 collection; only a heap measured right
/// after a full collection tells a leak from headroom.
/// </summary>
internal sealed class LiveHeapProbe(int processId, Uri metrics, HttpClient http)
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;
    private static readonly TimeSpan CollectionWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Bytes live after a full collection, or -1 when the collection or the scrape did not happen in time.</summary>
    public async Task<long> MeasureAsync(CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken);
        if (before is null)
        {
            return -1;
        }

        var providers = new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword) };
        using var session = new DiagnosticsClient(processId).StartEventPipeSession(providers, requestRundown: false);
        var drain = session.EventStream.CopyToAsync(Stream.Null, cancellationToken);
        try
        {
            var deadline = DateTime.UtcNow + CollectionWait;
            while (DateTime.UtcNow < deadline)
            {
                // A bounded poll of the silo's own counter: the collection is done when gen2's count moves.
                var now = await ReadAsync(cancellationToken);
                if (now is { } reading && reading.Gen2Collections > before.Value.Gen2Collections)
                {
                    return reading.HeapBytes;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }

            return -1;
        }
        finally
        {
            await session.StopAsync(cancellationToken);
            await drain.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<(long Gen2Collections, long HeapBytes)?> ReadAsync(CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await http.GetStringAsync(metrics, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var lines = text.Split('\n');
        var gen2 = lines.Where(line => line.StartsWith("dotnet_gc_collections_total{", StringComparison.Ordinal) && line.Contains("gc_heap_generation=\"gen2\"", StringComparison.Ordinal))
            .Sum(Value);
        var heap = lines.Where(line => line.StartsWith("dotnet_gc_last_collection_heap_size_bytes{", StringComparison.Ordinal)).Sum(Value);
        return ((long)gen2, (long)heap);
    }

    private static double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
}
