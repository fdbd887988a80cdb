using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Infrastructure;

/// <summary>
/// A bare UDP socket for speaking to the gateway byte by byte. <see cref="BarrierAsync"/> synchronises
/// without sleeping: the gateway handles one socket's datagrams in order, so once the answer to a fresh
/// Binding request arrives, everything sent before it has been handled and any reply to it has arrived.
/// </summary>
internal sealed class RawStunSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _target;

    public RawStunSocket(IPEndPoint target, IPAddress? local = null)
    {
        _target = target;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        _socket.Bind(new IPEndPoint(local ?? IPAddress.Loopback, 0));
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public static byte[] BindingRequest(byte[]? transactionId = null, bool fingerprint = false)
    {
        var buffer = new byte[64];
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.Binding, StunClass.Request), transactionId ?? RandomNumberGenerator.GetBytes(12));
        if (fingerprint)
        {
            writer.AppendFingerprint();
        }

        return buffer[..writer.Length];
    }

    public void Send(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, SocketFlags.None, _target);

    public async Task<(byte[] Datagram, IPEndPoint From)> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        var buffer = new byte[2048];
        var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
        return (buffer[..result.ReceivedBytes], (IPEndPoint)result.RemoteEndPoint);
    }

    public async Task<(byte[] Datagram, IPEndPoint From)> RequestAsync(byte[] request)
    {
        Send(request);
        return await ReceiveAsync();
    }

    /// <summary>Returns every datagram that arrived before the barrier's own answer.</summary>
    public async Task<List<byte[]>> BarrierAsync()
    {
        var transactionId = RandomNumberGenerator.GetBytes(12);
        Send(BindingRequest(transactionId));
        var before = new List<byte[]>();
        while (true)
        {
            var (datagram, _) = await ReceiveAsync();
            if (datagram.Length >= StunHeader.Length && datagram.AsSpan(StunHeader.TransactionIdOffset, 12).SequenceEqual(transactionId))
            {
                return before;
            }

            before.Add(datagram);
        }
    }

    public void Dispose() => _socket.Dispose();
}
