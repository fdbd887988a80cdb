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
/// <remarks>
/// On Linux each loop is a dedicated thread blocked in a synchronous receive. An awaited receive that
/// finds the queue empty parks on epoll, and its completion then hops from the socket engine thread to a
/// thread-pool worker; under a STUN Binding load that cost about twice the CPU per response of the
/// blocking receive (bench/README.md). Elsewhere the loops stay asynchronous: stopping a blocked
/// receive by shutting its socket down (<see cref="WakeReceiver"/>) is verified on Linux only.
/// </remarks>
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
    private const int ReceiveBufferLength = 2048;
    private const int SendBufferLength = 1500;
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

    private Task StartReceiveLoop(GatewaySocket socket, Socket receiver, CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Task.Run(() => ReceiveLoopAsync(socket, receiver, stoppingToken), stoppingToken);
        }

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                ReceiveLoop(socket, receiver, stoppingToken);
            }
            finally
            {
                stopped.SetResult();
            }
        })
        {
            IsBackground = true,
            Name = $"UDP {socket.LocalEndPoint}",
        };
        thread.Start();
        return stopped.Task;
    }

    private void ReceiveLoop(GatewaySocket socket, Socket receiver, CancellationToken stoppingToken)
    {
        var receiveBuffer = GC.AllocateArray<byte>(ReceiveBufferLength, pinned: true);
        var sendBuffer = GC.AllocateArray<byte>(SendBufferLength, pinned: true);
        var source = new System.Net.SocketAddress(receiver.AddressFamily);
        using var wake = stoppingToken.Register(() => WakeReceiver(receiver));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var received = receiver.ReceiveFrom(receiveBuffer, SocketFlags.None, source);
                if (stoppingToken.IsCancellationRequested)
                {
                    // Woken by WakeReceiver: what came back is the shutdown, not a datagram.
                    break;
                }

                router.Route(socket, receiveBuffer.AsSpan(0, received), source, sendBuffer);
            }
            catch (Exception exception)
            {
                if (ShouldStop(socket, exception, stoppingToken))
                {
                    break;
                }
            }
        }
    }

    private async Task ReceiveLoopAsync(GatewaySocket socket, Socket receiver, CancellationToken stoppingToken)
    {
        var receiveBuffer = GC.AllocateArray<byte>(ReceiveBufferLength, pinned: true);
        var sendBuffer = GC.AllocateArray<byte>(SendBufferLength, pinned: true);
        var source = new System.Net.SocketAddress(receiver.AddressFamily);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var received = await receiver.ReceiveFromAsync(receiveBuffer, SocketFlags.None, source, stoppingToken);
                router.Route(socket, receiveBuffer.AsSpan(0, received), source, sendBuffer);
            }
            catch (Exception exception)
            {
                if (ShouldStop(socket, exception, stoppingToken))
                {
                    break;
                }
            }
        }
    }

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

    /// <summary>
    /// The sockets are disposed only after every loop has ended (pushes may still go out while stopping),
    /// so a receive blocked in the kernel has to be woken another way. On Linux, shutting the socket down
    /// for receiving wakes it, even for unconnected UDP where the call itself reports ENOTCONN; sending
    /// stays possible.
    /// </summary>
    private static void WakeReceiver(Socket receiver)
    {
        try
        {
            receiver.Shutdown(SocketShutdown.Receive);
        }
        catch (SocketException)
        {
            // ENOTCONN, expected for an unconnected socket; the receiver has been woken regardless.
        }
        catch (ObjectDisposedException)
        {
            // Already closed: nothing left to wake.
        }
    }
}
