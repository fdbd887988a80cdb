using Matchmaker.Client;

namespace Matchmaker.Tests.EndToEnd;

/// <summary>Awaits a particular event from a client, failing with a clear message rather than hanging.</summary>
internal static class ClientEvents
{
    public static async Task<T> NextAsync<T>(this MatchmakerClient client, TimeSpan? timeout = null)
        where T : MatchmakerEvent
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            while (true)
            {
                var @event = await client.Events.ReadAsync(cts.Token);
                if (@event is T wanted)
                {
                    return wanted;
                }

                if (@event is PeerConnectFailed failed)
                {
                    throw new InvalidOperationException($"Waiting for {typeof(T).Name}, got {failed}.");
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"No {typeof(T).Name} event within the timeout.");
        }
    }

    /// <summary>Collects the first <paramref name="count"/> events that match, in whatever order they come.</summary>
    public static async Task<List<MatchmakerEvent>> CollectAsync(this MatchmakerClient client, Func<MatchmakerEvent, bool> match, int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var collected = new List<MatchmakerEvent>();
        try
        {
            while (collected.Count < count)
            {
                var @event = await client.Events.ReadAsync(cts.Token);
                if (match(@event))
                {
                    collected.Add(@event);
                }
            }

            return collected;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"Only {collected.Count} of {count} events: {string.Join(", ", collected)}.");
        }
    }
}
