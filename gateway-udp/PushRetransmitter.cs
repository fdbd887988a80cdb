using System.Collections.Concurrent;
using System.Net;
using Matchmaker.Protocol.Stun;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Gateway;

/// <summary>
/// Reliable delivery of pushes over UDP: the player acknowledges each with a success response; until
/// then it is resent on RFC 8489's schedule (RTO 500 ms, doubling), at most <see cref="MaxTransmissions"/> times.
/// The table is bounded, and only acknowledgements from the address a push went to count.
/// </summary>
internal sealed class PushRetransmitter(GatewayOptions options, GatewayMetrics metrics, TimeProvider clock, ILogger<PushRetransmitter> logger)
{
    public const int MaxTransmissions = 6;
    private static readonly TimeSpan InitialRto = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<TransactionKey, PendingPush> _pending = new();

    public int PendingCount => _pending.Count;

    public void Send(GatewaySocket socket, IPEndPoint destination, byte[] datagram)
    {
        if (_pending.Count >= options.MaxPendingPushes)
        {
            metrics.CountPush("shed");
            return;
        }

        var key = TransactionKey.From(datagram.AsSpan(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength));
        var pending = new PendingPush(socket, destination.Serialize(), datagram, clock.GetUtcNow() + InitialRto);
        _pending[key] = pending;
        socket.Send(datagram, pending.Destination);
    }

    public bool Acknowledge(ReadOnlySpan<byte> transactionId, SocketAddress source)
    {
        var key = TransactionKey.From(transactionId);
        if (!_pending.TryGetValue(key, out var pending) || !pending.Destination.Equals(source) || !_pending.TryRemove(key, out _))
        {
            return false;
        }

        metrics.CountPush("acked");
        return true;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Tick, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                RetransmitDue();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: unacknowledged pushes are soft state; the player's next heartbeat recovers.
        }
    }

    private void RetransmitDue()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, pending) in _pending)
        {
            if (now < pending.NextAt)
            {
                continue;
            }

            if (pending.Transmissions >= MaxTransmissions)
            {
                if (_pending.TryRemove(key, out _))
                {
                    metrics.CountPush("abandoned");
                    GatewayLog.PushAbandoned(logger, pending.Transmissions);
                }

                continue;
            }

            pending.Socket.Send(pending.Datagram, pending.Destination);
            pending.NextAt = now + (InitialRto * (1 << pending.Transmissions));
            pending.Transmissions++;
        }
    }
}
