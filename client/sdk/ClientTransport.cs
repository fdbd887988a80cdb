using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Client;

/// <summary>
/// The client's single UDP socket. Requests are retransmitted on RFC 8489's schedule (RTO 500 ms,
/// doubling) until answered or timed out; everything that is not an awaited response goes to the
/// inbound handler (pushes from the gateway, and all peer traffic).
/// </summary>
internal sealed class ClientTransport : IAsyncDisposable
{
    private static readonly TimeSpan InitialRto = TimeSpan.FromMilliseconds(500);

    private readonly Socket _socket;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<TransactionKey, TaskCompletionSource<byte[]>> _pending = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _receiveLoop = Task.CompletedTask;

    public ClientTransport(IPEndPoint localEndPoint, TimeProvider clock)
    {
        _clock = clock;
        _socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            // Room for a burst (many peers, or junk sprayed at the port) without the kernel dropping real traffic.
            ReceiveBufferSize = 1 << 20,
        };
        _socket.Bind(localEndPoint);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public delegate void InboundHandler(StunMessage message, SocketAddress source);

    /// <summary>Receives relay data frames (first byte 0x4D), which are not STUN.</summary>
    public delegate void FrameHandler(ReadOnlySpan<byte> frame, SocketAddress source);

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Datagrams that were not STUN at all; game traffic goes through the peer protocol, so these are noise.</summary>
    public long DroppedDatagrams { get; private set; }

    public void Start(InboundHandler handler, FrameHandler? frames = null) => _receiveLoop = Task.Run(() => ReceiveLoopAsync(handler, frames));

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress destination) => _socket.SendTo(datagram, SocketFlags.None, destination);

    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint destination) => _socket.SendTo(datagram, SocketFlags.None, destination);

    public async Task<byte[]> RequestAsync(byte[] request, IPEndPoint destination, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = TransactionKey.From(request.AsSpan(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength));
        var response = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[key] = response;
        try
        {
            var deadline = _clock.GetUtcNow() + timeout;
            var rto = InitialRto;
            while (true)
            {
                await _socket.SendToAsync(request, SocketFlags.None, destination, cancellationToken);
                var remaining = deadline - _clock.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"No answer from {destination} within {timeout.TotalSeconds:0.#} s.");
                }

                try
                {
                    return await response.Task.WaitAsync(rto < remaining ? rto : remaining, _clock, cancellationToken);
                }
                catch (TimeoutException)
                {
                    rto *= 2;
                }
            }
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task ReceiveLoopAsync(InboundHandler handler, FrameHandler? frames)
    {
        var buffer = GC.AllocateArray<byte>(2048, pinned: true);
        var source = new SocketAddress(_socket.AddressFamily);
        while (!_stopping.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, source, _stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP unreachable from a punch toward a closed port is expected while punching.
                continue;
            }

            var datagram = buffer.AsSpan(0, received);
            if (frames is not null && RelayFrame.IsFrame(datagram))
            {
                frames(datagram, source);
                continue;
            }

            Dispatch(datagram, source, handler);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram, SocketAddress source, InboundHandler handler)
    {
        if (StunMessage.TryParse(datagram, out var message) != StunParseStatus.Ok || !message.FingerprintIsValidOrAbsent())
        {
            DroppedDatagrams++;
            return;
        }

        var cls = message.Type.Class;
        if (cls is StunClass.SuccessResponse or StunClass.ErrorResponse
            && _pending.TryGetValue(TransactionKey.From(message.TransactionId), out var waiting))
        {
            waiting.TrySetResult(datagram.ToArray());
            return;
        }

        handler(message, source);
    }
}
