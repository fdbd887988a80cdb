using System.Net.Sockets;
using Matchmaker.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Gateway;

/// <summary>
/// Binds the sockets at start (so configuration errors fail start-up loudly), registers this node's push
/// observer with the cluster, then runs one long-lived receive loop per socket.
/// </summary>
internal sealed class GatewayService(
    GatewayOptions options,
    GatewayListeners listeners,
    PacketRouter router,
    PushRetransmitter retransmitter,
    GatewayPushService pushService,
    PushObserverReference pushReference,
    IGrainFactory grains,
    ILogger<GatewayService> logger) : BackgroundService
{
    private const int ReceiveBufferLength = 2048;
    private const int SendBufferLength = 1500;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Secret is null)
        {
            GatewayLog.EphemeralSecret(logger);
        }

        listeners.Bind(options);
        foreach (var (endpoint, role) in listeners.Endpoints)
        {
            GatewayLog.Listening(logger, endpoint, role);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        pushReference.Set(grains.CreateObjectReference<IGatewayPush>(pushService));
        var loops = listeners.Sockets.Select(socket => Task.Run(() => ReceiveLoopAsync(socket, stoppingToken), stoppingToken));
        return Task.WhenAll(loops.Append(retransmitter.RunAsync(stoppingToken)));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        listeners.Dispose();
    }

    private async Task ReceiveLoopAsync(GatewaySocket socket, CancellationToken stoppingToken)
    {
        var receiveBuffer = GC.AllocateArray<byte>(ReceiveBufferLength, pinned: true);
        var sendBuffer = GC.AllocateArray<byte>(SendBufferLength, pinned: true);
        var source = new System.Net.SocketAddress(socket.Socket.AddressFamily);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var received = await socket.Socket.ReceiveFromAsync(receiveBuffer, SocketFlags.None, source, stoppingToken);
                router.Route(socket, receiveBuffer.AsSpan(0, received), source, sendBuffer);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // ICMP port-unreachable from an earlier send, or an oversized datagram: neither stops the loop.
            }
            catch (Exception exception)
            {
                // A bug must not silence the port; log it and keep serving.
                GatewayLog.ReceiveLoopFailed(logger, socket.LocalEndPoint, exception);
            }
        }
    }
}
