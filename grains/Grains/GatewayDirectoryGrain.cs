using System.Collections.Immutable;
using Matchmaker.Grains.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Grains;

/// <summary>
/// Soft state only: entries expire unless their gateway announces again, so a restarted directory
/// activation is whole again after one refresh interval, and a gateway that died drops out by itself.
/// </summary>
public sealed class GatewayDirectoryGrain([FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock) : Grain, IGatewayDirectoryGrain
{
    private const int MaxGateways = 1024;

    private readonly Dictionary<Guid, (GatewayAnnouncement Announcement, DateTimeOffset ExpiresAt)> _gateways = [];

    public Task<ImmutableArray<GatewayAnnouncement>> AnnounceAsync(GatewayAnnouncement self)
    {
        var now = clock.GetUtcNow();
        foreach (var (id, entry) in _gateways.ToArray())
        {
            if (entry.ExpiresAt <= now)
            {
                _gateways.Remove(id);
            }
        }

        if (_gateways.ContainsKey(self.NodeId) || _gateways.Count < MaxGateways)
        {
            _gateways[self.NodeId] = (self, now + self.TimeToLive);
        }

        return Task.FromResult(_gateways.Values.Where(e => e.Announcement.NodeId != self.NodeId).Select(e => e.Announcement).ToImmutableArray());
    }

    public Task WithdrawAsync(Guid nodeId)
    {
        _gateways.Remove(nodeId);
        return Task.CompletedTask;
    }
}
