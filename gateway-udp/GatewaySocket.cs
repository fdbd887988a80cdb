using System.Net;
using System.Net.Sockets;

namespace Matchmaker.Gateway;

/// <summary>
/// One listening address and its RFC 5780 siblings (the sockets on the other port and/or other IP),
/// which answer CHANGE-REQUEST probes. The address may be served by several kernel sockets bound with
/// SO_REUSEPORT, one receive loop each; they share the exact local address, so whichever of them a
/// datagram arrives on, the reply and any later push still leave from the address the client used.
/// </summary>
internal sealed class GatewaySocket : IDisposable
{
    // Linux values (asm-generic/socket.h); .NET has no SocketOptionName for SO_REUSEPORT.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    private readonly Socket[] _receivers;

    public GatewaySocket(IPEndPoint requested, string role, int bufferBytes, int receiveLoops = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(receiveLoops, 1);
        if (receiveLoops == 1)
        {
            _receivers = [Open(requested, bufferBytes, reusePort: false)];
        }
        else
        {
            // SO_REUSEPORT would let these sockets share a port with another process of the same user
            // without complaint. Binding once exclusively first keeps a port clash a start-up failure,
            // exactly as with a single socket, and resolves port 0 to the port the group then takes.
            IPEndPoint local;
            using (var probe = Open(requested, bufferBytes: 0, reusePort: false))
            {
                local = (IPEndPoint)probe.LocalEndPoint!;
            }

            _receivers = new Socket[receiveLoops];
            try
            {
                for (var i = 0; i < _receivers.Length; i++)
                {
                    _receivers[i] = Open(local, bufferBytes, reusePort: true);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        Socket = _receivers[0];
        LocalEndPoint = (IPEndPoint)Socket.LocalEndPoint!;
        LocalAddressBytes = LocalEndPoint.Address.GetAddressBytes();
        Role = role;
    }

    /// <summary>The socket replies and pushes are sent from; every receiver is bound to the same address.</summary>
    public Socket Socket { get; }

    /// <summary>The sockets to run receive loops on: one, or the SO_REUSEPORT group the kernel spreads flows over.</summary>
    public IReadOnlyList<Socket> Receivers => _receivers;

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Cached so RESPONSE-ORIGIN is written without allocating.</summary>
    public byte[] LocalAddressBytes { get; }

    public ushort LocalPort => (ushort)LocalEndPoint.Port;

    public string Role { get; }

    public GatewaySocket? ChangePort { get; set; }

    public GatewaySocket? ChangeIp { get; set; }

    public GatewaySocket? ChangeBoth { get; set; }

    /// <summary>
    /// RFC 5780 §7.4: the alternate address and port. Advertised only with a second IP: clients read
    /// OTHER-ADDRESS as a promise of the whole test set, and a client promised change-IP that a one-IP
    /// server must refuse can stall (coturn's turnutils_stunclient waits forever). Change-port is still
    /// served on the alternate port either way.
    /// </summary>
    public GatewaySocket? Other => ChangeBoth;

    public GatewaySocket? Sibling(bool changeIp, bool changePort) => (changeIp, changePort) switch
    {
        (false, false) => this,
        (false, true) => ChangePort,
        (true, false) => ChangeIp,
        (true, true) => ChangeBoth,
    };

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress destination) =>
        Socket.SendTo(datagram, SocketFlags.None, destination);

    public void Dispose()
    {
        foreach (var receiver in _receivers)
        {
            receiver?.Dispose();
        }
    }

    private static Socket Open(IPEndPoint endpoint, int bufferBytes, bool reusePort)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (bufferBytes > 0)
            {
                socket.ReceiveBufferSize = bufferBytes;
                socket.SendBufferSize = bufferBytes;
            }

            if (reusePort)
            {
                socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            }

            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
