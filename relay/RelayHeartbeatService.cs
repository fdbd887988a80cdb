using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Relay;

/// <summary>
/// Registers the node with the cluster and restates its load every <c>Relay:HeartbeatInterval</c>, with
/// the allocations opened and closed since the last one (the cluster counts each player's allocations
/// across nodes from them) and carrying back the reservations the cluster withdrew. On a clean stop, tells
/// the cluster it is leaving so players hear at once. A cluster outage is logged and retried: forwarding
/// does not depend on it, and unacknowledged changes are sent again.
/// </summary>
internal sealed class RelayHeartbeatService(
    RelayOptions options,
    RelayService node,
    RelayAllocationTable table,
    RelaySecret secret,
    IGrainFactory grains,
    TimeProvider clock,
    ILogger<RelayHeartbeatService> logger) : BackgroundService
{
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(3);

    private IRelayNodeGrain Grain => grains.GetGrain<IRelayNodeGrain>(options.NodeId!);

    /// <summary>One heartbeat: report, then acknowledge the reported changes and revoke what the cluster withdrew.</summary>
    public async Task BeatAsync()
    {
        var (opened, closed) = table.TakeChanges();
        var status = new RelayNodeStatus(node.Advertised, options.MaxAllocations, table.Count, secret.Value, options.MaxAllocationsPerPlayer, [.. opened], [.. closed]);
        var revoked = await Grain.HeartbeatAsync(status);
        table.Acknowledge(opened.Length, closed.Length);
        foreach (var id in revoked.IsDefault ? [] : revoked)
        {
            table.Revoke(id);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var registered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await BeatAsync();
                if (!registered)
                {
                    registered = true;
                    RelayLog.Registered(logger, options.NodeId!, node.Advertised);
                }
            }
            catch (Exception exception) when (exception is OrleansException or TimeoutException or InvalidOperationException)
            {
                registered = false;
                RelayLog.HeartbeatFailed(logger, options.NodeId!, exception.Message);
            }

            try
            {
                await Task.Delay(options.HeartbeatInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await Grain.LeaveAsync().WaitAsync(LeaveTimeout, cancellationToken);
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            // The cluster finds out from the missing heartbeats instead.
        }
    }
}
