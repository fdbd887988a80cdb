using System.Net;
using System.Net.Sockets;

namespace Matchmaker.Gateway;

/// <summary>
/// One bound UDP socket and its RFC 5780 siblings (the sockets on the other port and/or other IP),
/// which answer CHANGE-REQUEST probes.
/// </summary>
internal sealed class GatewaySocket : IDisposable
{
    public GatewaySocket(IPEndPoint requested, string role, int bufferBytes)
    {
        Socket = new Socket(requested.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        Socket.ReceiveBufferSize = bufferBytes;
        Socket.SendBufferSize = bufferBytes;
        Socket.Bind(requested);
        LocalEndPoint = (IPEndPoint)Socket.LocalEndPoint!;
        LocalAddressBytes = LocalEndPoint.Address.GetAddressBytes();
        Role = role;
    }

    public Socket Socket { get; }

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

    public void Dispose() => Socket.Dispose();
}
