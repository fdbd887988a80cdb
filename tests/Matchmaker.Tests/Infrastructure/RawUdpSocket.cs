using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Matchmaker.Tests.Infrastructure;

/// <summary>
/// An IPv4 raw UDP socket (needs root, as the test suite runs): it sends datagrams with any source port
/// on this host — spoofed sources, as an attacker on the path would — and it sees a copy of every UDP
/// datagram this host receives, so a test can capture genuine traffic to replay. Loopback only. A socket
/// made for capturing is filtered in the kernel to one destination port from its first moment: a
/// copy of every test's UDP would otherwise fill its buffer and push out the datagram it waits for.
/// </summary>
internal sealed class RawUdpSocket : IDisposable
{
    private const int IpHeaderMinimum = 20;
    private const int UdpHeaderLength = 8;
    private const int SolSocket = 1;
    private const int SoAttachFilter = 26;

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Udp);
    private readonly byte[] _packet = new byte[65536];

    /// <summary>A raw socket for sending from any port, capturing datagrams to <paramref name="captureToPort"/> when given.</summary>
    public RawUdpSocket(int? captureToPort = null)
    {
        _socket.ReceiveBufferSize = 4 << 20;
        ReceiveOnlyTo(captureToPort ?? 0);

        // Whatever arrived between socket() and the filter is not for us.
        while (_socket.Available > 0)
        {
            _socket.Receive(_packet);
        }
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

    /// <summary>The kernel queues to this socket only datagrams addressed to <paramref name="port"/> (a classic BPF socket filter); port 0 matches none.</summary>
    private void ReceiveOnlyTo(int port)
    {
        // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; } — on a raw IPv4 socket the program sees the IP header first.
        ulong[] program =
        [
            Instruction(0xB1, 0, 0, 0),            // ldxb 4*([0]&0xf): X = IP header length
            Instruction(0x48, 0, 0, 2),            // ldh [x + 2]: the UDP destination port
            Instruction(0x15, 0, 1, (uint)port),   // jeq port, accept, drop
            Instruction(0x06, 0, 0, 0xFFFF),       // ret: accept
            Instruction(0x06, 0, 0, 0),            // ret: drop
        ];
        var pinned = GCHandle.Alloc(program, GCHandleType.Pinned);
        try
        {
            // struct sock_fprog { u16 len; (padding) struct sock_filter *filter; } — the kernel copies the program.
            Span<byte> fprog = stackalloc byte[16];
            fprog.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(fprog, (ushort)program.Length);
            BinaryPrimitives.WriteInt64LittleEndian(fprog[8..], pinned.AddrOfPinnedObject().ToInt64());
            _socket.SetRawSocketOption(SolSocket, SoAttachFilter, fprog);
        }
        finally
        {
            pinned.Free();
        }
    }

    private static ulong Instruction(ushort code, byte jumpTrue, byte jumpFalse, uint k) =>
        code | ((ulong)jumpTrue << 16) | ((ulong)jumpFalse << 24) | ((ulong)k << 32);

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
