using System.Net.Sockets;
using Matchmaker.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Matchmaker.Gateway;

/// <summary>
/// Binds the sockets at start (so configuration errors fail start-up loudly), registers this node's push
/// observer with the cluster, then runs one long-lived receive loop per socket.
/// </summary>
/// <remarks>The loops themselves are <see cref="UdpReceiveLoop"/>'s: blocking threads on Linux (why: see there).</remarks>
internal sealed class GatewayService(
    GatewayOptions options,
    GatewayListeners listeners,
    PacketRouter router,
    PushRetransmitter retransmitter,
    GatewayPushService pushService,
    PushObserverReference pushReference,
    ControlRequestHandler handler,
    IOptions<ShutdownOptions> shutdown,
    TimeProvider clock,
    IGrainFactory grains,
    ILogger<GatewayService> logger) : BackgroundService
{
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(20);

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
        var loops = listeners.Sockets.SelectMany(socket => socket.Receivers.Select(receiver => StartReceiveLoop(socket, receiver, stoppingToken)));
        return Task.WhenAll(loops.Append(retransmitter.RunAsync(stoppingToken)));
    }

    /// <summary>
    /// Stops admitting control requests, then waits (bounded by <c>Shutdown:RequestDrain</c>) for the ones in
    /// flight to be answered and for pending pushes to be acknowledged — the receive loops keep running
    /// meanwhile, since acknowledgements arrive on them — and only then stops the loops and closes the sockets.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        handler.StopAdmitting();
        var deadline = clock.GetUtcNow() + shutdown.Value.RequestDrain;
        while ((handler.InFlight > 0 || retransmitter.PendingCount > 0) && clock.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(DrainPoll, clock, CancellationToken.None);
        }

        GatewayLog.Drained(logger, handler.InFlight, retransmitter.PendingCount);
        await base.StopAsync(cancellationToken);
        listeners.Dispose();
    }

    private Task StartReceiveLoop(GatewaySocket socket, Socket receiver, CancellationToken stoppingToken) =>
        UdpReceiveLoop.Start(
            receiver,
            $"UDP {socket.LocalEndPoint}",
            (datagram, source, sendBuffer) => router.Route(socket, datagram, source, sendBuffer),
            exception => ShouldStop(socket, exception, stoppingToken),
            stoppingToken);

    /// <summary>Stopping or a closed socket ends a loop; anything else is logged (if unexpected) and served past.</summary>
    private bool ShouldStop(GatewaySocket socket, Exception exception, CancellationToken stoppingToken)
    {
        switch (exception)
        {
            case OperationCanceledException or ObjectDisposedException:
                return true;
            case SocketException when stoppingToken.IsCancellationRequested:
                return true;
            case SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.MessageSize }:
                // ICMP port-unreachable from an earlier send, or an oversized datagram: neither stops the loop.
                return false;
            default:
                // A bug must not silence the port; log it and keep serving.
                GatewayLog.ReceiveLoopFailed(logger, socket.LocalEndPoint, exception);
                return false;
        }
    }
}
