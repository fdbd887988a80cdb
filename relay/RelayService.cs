using System.Net;
using System.Net.Sockets;
using Matchmaker.Gateway;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Relay;

/// <summary>
/// The relay node's data plane: binds the socket at start (a bad address or a taken port fails start-up),
/// runs a blocking receive loop on it (<see cref="UdpReceiveLoop"/>: no thread-pool hop between a datagram
/// and its forward) and sweeps idle and expired allocations once a second. With <c>Relay:ReceiveLoops</c>
/// above 1 the port is an SO_REUSEPORT group, one loop per socket; every socket has the same address, so a
/// frame may leave from whichever received it. Needs no cluster: tokens carry everything, so forwarding
/// keeps working while the cluster is unreachable.
/// </summary>
internal sealed class RelayService(
    RelayOptions options,
    RelayForwarder forwarder,
    RelayAllocationTable table,
    TimeProvider clock,
    ILogger<RelayService> logger) : BackgroundService
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private GatewaySocket? _socket;

    /// <summary>The bound endpoint (with the real port when <c>Relay:Port</c> is 0); valid after start.</summary>
    public IPEndPoint LocalEndPoint { get; private set; } = new(IPAddress.Any, 0);

    /// <summary>The endpoint players are told: <c>Relay:PublicAddress</c>, else the listening address (0.0.0.0 = "the gateway's").</summary>
    public IPEndPoint Advertised => new(
        options.PublicAddress is { Length: > 0 } address ? IPAddress.Parse(address) : LocalEndPoint.Address,
        LocalEndPoint.Port);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(options.Address, out var address))
        {
            throw new InvalidOperationException($"Relay:Address '{options.Address}' is not an IP address.");
        }

        if (options.PublicAddress is { Length: > 0 } advertised && !IPAddress.TryParse(advertised, out _))
        {
            throw new InvalidOperationException($"Relay:PublicAddress '{advertised}' is not an IP address.");
        }

        if (options.AllowLoopback)
        {
            RelayLog.LoopbackAllowed(logger);
        }

        _socket = new GatewaySocket(new IPEndPoint(address, options.Port), "relay", options.SocketBufferBytes, options.EffectiveReceiveLoops);
        LocalEndPoint = _socket.LocalEndPoint;
        RelayLog.Listening(logger, options.NodeId ?? "-", LocalEndPoint, Advertised);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _socket?.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = _socket!.Receivers.Select(receiver => UdpReceiveLoop.Start(
            receiver,
            $"Relay {LocalEndPoint}",
            (datagram, source, sendBuffer) => forwarder.Handle(receiver, datagram, source, sendBuffer),
            exception => ShouldStop(exception, stoppingToken),
            stoppingToken));
        return Task.WhenAll([.. loops, SweepAsync(stoppingToken)]);
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                table.Sweep();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private bool ShouldStop(Exception exception, CancellationToken stoppingToken)
    {
        switch (exception)
        {
            case OperationCanceledException or ObjectDisposedException:
                return true;
            case SocketException when stoppingToken.IsCancellationRequested:
                return true;
            case SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.MessageSize or SocketError.NetworkUnreachable or SocketError.HostUnreachable }:
                // ICMP errors from an earlier forward, or an oversized datagram: the next one is served.
                return false;
            default:
                RelayLog.ReceiveLoopFailed(logger, LocalEndPoint, exception);
                return false;
        }
    }
}
