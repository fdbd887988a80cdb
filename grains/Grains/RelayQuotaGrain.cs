using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Matchmaker.Grains;

/// <summary>
/// Soft state, like the node grains it mirrors: each entry carries the reservation's own expiry, so an
/// entry whose release was lost (its node grain went with a silo) lapses when its tokens do. The grain's
/// collection age is the allocation lifetime (<see cref="GrainsServiceCollectionExtensions"/>), so an idle
/// activation outlives everything it holds.
/// </summary>
public sealed class RelayQuotaGrain(
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<RelayDirectoryOptions> options) : Grain, IRelayQuotaGrain
{
    private readonly Dictionary<Guid, DateTimeOffset> _held = [];

    public Task<bool> TryTakeAsync(Guid introductionId, DateTimeOffset until)
    {
        var now = clock.GetUtcNow();
        foreach (var (id, expiresAt) in _held)
        {
            if (expiresAt <= now)
            {
                _held.Remove(id);
            }
        }

        if (!_held.ContainsKey(introductionId) && _held.Count >= options.Value.MaxAllocationsPerPlayer)
        {
            return Task.FromResult(false);
        }

        _held[introductionId] = until;
        return Task.FromResult(true);
    }

    public Task ReleaseAsync(Guid introductionId)
    {
        _held.Remove(introductionId);
        return Task.CompletedTask;
    }

    public Task<int> CountAsync()
    {
        var now = clock.GetUtcNow();
        return Task.FromResult(_held.Values.Count(expiresAt => expiresAt > now));
    }
}
