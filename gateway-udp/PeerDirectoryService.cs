using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Gateway;

/// <summary>
/// Announces this gateway node (its listening addresses and ports, and its <see cref="IGatewayPeer"/>
/// observer) to <see cref="IGatewayDirectoryGrain"/> every <c>Gateway:PeerRefreshInterval</c>, and
/// caches the other nodes in <see cref="PeerGateways"/>. Until the first announcement succeeds (the
/// cluster may still be starting) it retries every second.
/// </summary>
internal sealed class PeerDirectoryService(
    GatewayOptions options,
    GatewayListeners listeners,
    PeerGateways peers,
    PeerChangeRequestService answerer,
    IGrainFactory grains,
    TimeProvider clock,
    ILogger<PeerDirectoryService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>Missed refreshes before the directory forgets a node.</summary>
    private const int MissedRefreshes = 3;

    private readonly Guid _nodeId = Guid.NewGuid();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.UsePeerGateways)
        {
            return;
        }

        var directory = grains.GetGrain<IGatewayDirectoryGrain>(0);
        var self = grains.CreateObjectReference<IGatewayPeer>(answerer);
        var announcement = new GatewayAnnouncement(
            _nodeId,
            [.. listeners.Endpoints.Where(e => e.Role == "primary").Select(e => e.Endpoint)],
            listeners.Endpoints.First(e => e.Role == "alternate-port").Endpoint.Port,
            self,
            options.PeerRefreshInterval * MissedRefreshes);
        var announced = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    peers.Update(await directory.AnnounceAsync(announcement), listeners.Sockets);
                    announced = true;
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    GatewayLog.DirectoryUnavailable(logger, exception);
                }

                await Task.Delay(announced ? options.PeerRefreshInterval : RetryInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            if (announced)
            {
                await WithdrawAsync(directory);
            }

            try
            {
                grains.DeleteObjectReference<IGatewayPeer>(self);
            }
            catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
            {
                // The cluster connection is already gone while stopping; so is the reference.
            }
        }
    }

    /// <summary>Best effort: without it the entry simply expires, and peers' change-IP probes to us go unanswered until then.</summary>
    private async Task WithdrawAsync(IGatewayDirectoryGrain directory)
    {
        try
        {
            await directory.WithdrawAsync(_nodeId).WaitAsync(TimeSpan.FromSeconds(2), clock);
        }
        catch (Exception exception)
        {
            GatewayLog.DirectoryUnavailable(logger, exception);
        }
    }
}
