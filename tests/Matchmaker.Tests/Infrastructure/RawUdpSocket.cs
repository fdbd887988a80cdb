using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Matchmaker.Tests.Infrastructure;

/// <summary>
/// An IPv4 raw UDP socket (needs root, as the test suite runs): it sends datagrams with any source port
/// on this host — spoofed sources, as an attacker on the path would — and it sees a copy of every UDP
/// datagram this host receives, so a test can capture genuine traffic to replay. Loopback only.
/// </summary>
internal sealed class RawUdpSocket : IDisposable
{
    private const int IpHeaderMinimum = 20;
    private const int UdpHeaderLength = 8;

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Udp);
    private readonly byte[] _packet = new byte[65536];

    public RawUdpSocket()
    {
        _socket.ReceiveBufferSize = 4 << 20;
    }

    /// <summary>
    /// Sends <paramref name="payload"/> to <paramref name="destination"/> as if from
    /// <paramref name="sourcePort"/> on this host. The UDP checksum is 0: "none", which IPv4 allows.
    /// </summary>
    public void SendFrom(int sourcePort, IPEndPoint destination, ReadOnlySpan<byte> payload)
    {
        var length = UdpHeaderLength + payload.Length;
        var datagram = _packet.AsSpan(0, length);
        BinaryPrimitives.WriteUInt16BigEndian(datagram, (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[2..], (ushort)destination.Port);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[4..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[6..], 0);
        payload.CopyTo(datagram[UdpHeaderLength..]);
        _socket.SendTo(datagram, SocketFlags.None, new IPEndPoint(destination.Address, 0));
    }

    /// <summary>The payload of the next datagram received by this host from one port to another.</summary>
    public async Task<byte[]> CaptureAsync(int fromPort, int toPort, Func<byte[], bool> wanted, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[65536];
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            var ipHeader = (buffer[0] & 0x0F) * 4;
            if (received < ipHeader + UdpHeaderLength || ipHeader < IpHeaderMinimum)
            {
                continue;
            }

            var udp = buffer.AsSpan(ipHeader, received - ipHeader);
            if (BinaryPrimitives.ReadUInt16BigEndian(udp) == fromPort && BinaryPrimitives.ReadUInt16BigEndian(udp[2..]) == toPort)
            {
                var payload = udp[UdpHeaderLength..].ToArray();
                if (wanted(payload))
                {
                    return payload;
                }
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
