using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Client;

/// <summary>
/// The client's UDP socket — and, beside an IPv4 socket, an IPv6 socket on the same port when the
/// host has IPv6, for the <c>ipv6</c> path (kept apart rather than one dual-mode socket, so IPv4
/// endpoints stay plain IPv4 everywhere). Requests are retransmitted on RFC 8489's schedule (RTO
/// 500 ms, doubling) until answered or timed out; everything that is not an awaited response goes to
/// the inbound handler (pushes from the gateway, and all peer traffic).
/// </summary>
internal sealed class ClientTransport : IAsyncDisposable
{
    private static readonly TimeSpan InitialRto = TimeSpan.FromMilliseconds(500);

    private readonly Socket _socket;
    private readonly Socket? _socket6;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<TransactionKey, TaskCompletionSource<byte[]>> _pending = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _receiveLoop = Task.CompletedTask;
    private long _droppedDatagrams;

    public ClientTransport(IPEndPoint localEndPoint, TimeProvider clock, bool withIpv6 = false)
    {
        _clock = clock;
        _socket = Open(localEndPoint);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        if (withIpv6 && LocalEndPoint.AddressFamily == AddressFamily.InterNetwork && LocalEndPoint.Address.Equals(IPAddress.Any) && Socket.OSSupportsIPv6)
        {
            _socket6 = OpenIpv6(LocalEndPoint.Port);
            LocalEndPoint6 = (IPEndPoint?)_socket6?.LocalEndPoint;
        }
    }

    public delegate void InboundHandler(StunMessage message, SocketAddress source);

    /// <summary>Receives relay data frames (first byte 0x4D), which are not STUN.</summary>
    public delegate void FrameHandler(ReadOnlySpan<byte> frame, SocketAddress source);

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The IPv6 socket's local endpoint, when there is one.</summary>
    public IPEndPoint? LocalEndPoint6 { get; }

    /// <summary>Datagrams that were not STUN at all; game traffic goes through the peer protocol, so these are noise.</summary>
    public long DroppedDatagrams => Interlocked.Read(ref _droppedDatagrams);

    public void Start(InboundHandler handler, FrameHandler? frames = null) => _receiveLoop = _socket6 is null
        ? Task.Run(() => ReceiveLoopAsync(_socket, handler, frames))
        : Task.WhenAll(Task.Run(() => ReceiveLoopAsync(_socket, handler, frames)), Task.Run(() => ReceiveLoopAsync(_socket6, handler, frames)));

    /// <summary>Whether a socket of this family exists to send from.</summary>
    public bool CanReach(AddressFamily family) => SocketFor(family) is not null;

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress destination) =>
        (SocketFor(destination.Family) ?? _socket).SendTo(datagram, SocketFlags.None, destination);

    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint destination) =>
        (SocketFor(destination.AddressFamily) ?? _socket).SendTo(datagram, SocketFlags.None, destination);

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
                var remaining = deadline - _clock.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"No answer from {destination} within {timeout.TotalSeconds:0.#} s.");
                }

                await (SocketFor(destination.AddressFamily) ?? _socket).SendToAsync(request, SocketFlags.None, destination, cancellationToken);
                try
                {
                    return await response.Task.WaitAsync(rto < remaining ? rto : remaining, _clock, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // RFC 8489 §6.2.1 doubles the RTO; capped at the whole timeout, so however many rounds a
                    // starved or early-firing timer causes, the doubling can never overflow.
                    rto = rto >= timeout / 2 ? timeout : rto * 2;
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
        _socket6?.Dispose();
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private static Socket Open(IPEndPoint localEndPoint)
    {
        var socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            // Room for a burst (many peers, or junk sprayed at the port) without the kernel dropping real traffic.
            ReceiveBufferSize = 1 << 20,
        };
        try
        {
            if (localEndPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.Bind(localEndPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The same port number as the IPv4 socket when free (an open port then means the same number on both
    /// families), any port otherwise; null when the host has no IPv6 at all.
    /// </summary>
    private static Socket? OpenIpv6(int port)
    {
        foreach (var candidate in new[] { port, 0 })
        {
            try
            {
                return Open(new IPEndPoint(IPAddress.IPv6Any, candidate));
            }
            catch (SocketException)
            {
                // Taken, or IPv6 disabled; the next candidate or no IPv6 socket.
            }
        }

        return null;
    }

    private Socket? SocketFor(AddressFamily family) =>
        family == _socket.AddressFamily ? _socket : family == AddressFamily.InterNetworkV6 ? _socket6 : null;

    private async Task ReceiveLoopAsync(Socket socket, InboundHandler handler, FrameHandler? frames)
    {
        var buffer = GC.AllocateArray<byte>(2048, pinned: true);
        var source = new SocketAddress(socket.AddressFamily);
        while (!_stopping.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, source, _stopping.Token);
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
            Interlocked.Increment(ref _droppedDatagrams);
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
