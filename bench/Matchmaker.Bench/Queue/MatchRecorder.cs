using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;

namespace Matchmaker.Bench.Queue;

/// <summary>
/// Stands where a gateway would: the grain observer every player's pushes go to. It stamps the moment
/// each player's Matched push arrives, the end of its time to match.
/// </summary>
internal sealed class MatchRecorder(FrozenDictionary<Guid, int> indexOf) : IGatewayPush
{
    private readonly long[] _matchedAt = new long[indexOf.Count];
    private long _matched;
    private long _introductions;
    private long _lastMatchAt;

    public long Matched => Interlocked.Read(ref _matched);

    public long Introductions => Interlocked.Read(ref _introductions);

    public long LastMatchAt => Interlocked.Read(ref _lastMatchAt);

    public long MatchedAt(int index) => Volatile.Read(ref _matchedAt[index]);

    public Task MatchedAsync(PushTarget target, string lobbyCode, ImmutableArray<Guid> players)
    {
        var now = Stopwatch.GetTimestamp();
        if (indexOf.TryGetValue(target.PlayerId, out var index) && Interlocked.CompareExchange(ref _matchedAt[index], now, 0) == 0)
        {
            Interlocked.Increment(ref _matched);
            Interlocked.Exchange(ref _lastMatchAt, now);
        }

        return Task.CompletedTask;
    }

    public Task IntroduceAsync(PushTarget target, Introduction introduction)
    {
        Interlocked.Increment(ref _introductions);
        return Task.CompletedTask;
    }

    public Task StartMatchesAsync(ImmutableArray<MatchPush> matches)
    {
        foreach (var match in matches)
        {
            MatchedAsync(match.Target, match.LobbyCode, match.Players);
            Interlocked.Add(ref _introductions, match.Introductions.Length);
        }

        return Task.CompletedTask;
    }

    public Task LobbyClosedAsync(PushTarget target, string lobbyCode, string reason) => Task.CompletedTask;

    public Task RelayLostAsync(PushTarget target, Guid introductionId) => Task.CompletedTask;
}
