using System.Collections.Immutable;
using Matchmaker.Grains.Models;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace Matchmaker.Grains;

/// <summary>
/// Fans a list request out to every index shard and caches the merge briefly, so a crowd of browsing
/// players costs the shards one read per worker per second rather than one per request.
/// </summary>
[StatelessWorker]
public sealed class LobbyBrowserGrain([FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock) : Grain, ILobbyBrowserGrain
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private ImmutableArray<LobbySummary> _cached = [];
    private DateTimeOffset _cachedAt = DateTimeOffset.MinValue;

    public async Task<ImmutableArray<LobbySummary>> ListAsync(int max)
    {
        if (clock.GetUtcNow() - _cachedAt >= CacheFor)
        {
            var shards = Enumerable.Range(0, LobbyIndexShards.Count)
                .Select(shard => GrainFactory.GetGrain<ILobbyIndexGrain>(shard).ListAsync(max));
            var lists = await Task.WhenAll(shards);
            _cached = [.. lists.SelectMany(l => l).OrderBy(l => l.Code, StringComparer.Ordinal)];
            _cachedAt = clock.GetUtcNow();
        }

        return [.. _cached.Take(max)];
    }
}
