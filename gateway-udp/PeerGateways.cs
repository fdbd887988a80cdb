using System.Net;
using System.Net.Sockets;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Stun;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Gateway;

/// <summary>
/// This node's cached view of the other gateway nodes (refreshed by <see cref="PeerDirectoryService"/>),
/// for nodes with one IP: a peer's address is advertised as OTHER-ADDRESS, and a change-IP probe this
/// node received is handed to that peer, which answers from its own socket. Read on the receive
/// threads without locks or allocation: the lists are swapped whole on refresh.
/// </summary>
internal sealed class PeerGateways(GatewayOptions options, GatewayMetrics metrics, ILogger<PeerGateways> logger)
{
    private PeerGateway[] _ipv4 = [];
    private PeerGateway[] _ipv6 = [];
    private long _window;
    private int _forwardedInWindow;

    public int Count => Volatile.Read(ref _ipv4).Length + Volatile.Read(ref _ipv6).Length;

    /// <summary>
    /// Keeps the addresses of other nodes that listen on this node's two ports (RFC 5780 clients send
    /// to the alternate address on the primary port, so the ports must match) and are not this node's own.
    /// </summary>
    public void Update(IEnumerable<GatewayAnnouncement> others, IReadOnlyList<GatewaySocket> own)
    {
        var ownAddresses = own.Select(s => s.LocalEndPoint.Address).ToHashSet();
        var primaryPorts = own.Where(s => s.Role == "primary").Select(s => s.LocalPort).ToHashSet();
        var alternatePorts = own.Where(s => s.Role == "alternate-port").Select(s => s.LocalPort).ToHashSet();
        var usable = others
            .Where(a => alternatePorts.Contains((ushort)a.AlternatePort))
            .SelectMany(a => a.Addresses
                .Where(e => primaryPorts.Contains((ushort)e.Port) && !ownAddresses.Contains(e.Address))
                .Select(e => new PeerGateway(a.Peer, e.Address)))
            .DistinctBy(p => p.Address)
            .OrderBy(p => p.Address.ToString(), StringComparer.Ordinal)
            .ToList();
        var before = Count;
        Volatile.Write(ref _ipv4, [.. usable.Where(p => p.Address.AddressFamily == AddressFamily.InterNetwork)]);
        Volatile.Write(ref _ipv6, [.. usable.Where(p => p.Address.AddressFamily == AddressFamily.InterNetworkV6)]);
        if (Count != before)
        {
            GatewayLog.PeerGatewaysChanged(logger, Count);
        }
    }

    /// <summary>
    /// The peer for this client: chosen by its address, so its successive probes meet one peer while the
    /// load of many clients spreads over all of them. Null when no peer of the socket's family is known.
    /// </summary>
    public PeerGateway? Pick(GatewaySocket socket, SocketAddress source)
    {
        var peers = Volatile.Read(ref socket.LocalEndPoint.AddressFamily == AddressFamily.InterNetwork ? ref _ipv4 : ref _ipv6);
        if (peers.Length == 0)
        {
            return null;
        }

        // FNV-1a over the client's IP: stable per client, no allocation.
        var hash = 2166136261u;
        foreach (var b in SocketAddressParts.GetAddressBytes(source))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return peers[hash % (uint)peers.Length];
    }

    /// <summary>
    /// Hands a change-IP probe to a peer. False when there is none (the caller refuses the change as a
    /// one-IP server must); true when forwarded or shed for the rate limit, which protects the cluster
    /// from a flood of probes that each cost a cluster message.
    /// </summary>
    public bool TryForward(GatewaySocket socket, StunMessage request, SocketAddress source, SocketAddress destination, bool changePort, int budget, bool withFingerprint)
    {
        if (Pick(socket, source) is not { } peer || socket.ChangePort is not { } alternatePort)
        {
            return false;
        }

        if (!WithinRate())
        {
            metrics.Count(PacketType.Binding, PacketResult.Overloaded);
            metrics.CountPeerChangeRequest("rate-limited");
            return true;
        }

        // The peer answers from its address on the port the client asked for; the answer's OTHER-ADDRESS
        // is then this node's address on the other port, relative to the answering socket.
        var answeringPort = changePort ? alternatePort.LocalPort : socket.LocalPort;
        var otherPort = changePort ? socket.LocalPort : alternatePort.LocalPort;
        var probe = new PeerChangeRequest(
            request.TransactionId.ToArray(),
            SocketAddressParts.ToEndPoint(source),
            SocketAddressParts.ToEndPoint(destination),
            new IPEndPoint(peer.Address, answeringPort),
            new IPEndPoint(socket.LocalEndPoint.Address, otherPort),
            withFingerprint,
            budget);
        try
        {
            _ = peer.Peer.AnswerChangeRequestAsync(probe);
            metrics.Count(PacketType.Binding, PacketResult.Ok);
            metrics.CountPeerChangeRequest("forwarded");
        }
        catch (Exception exception)
        {
            // A peer that just left: the client's probe goes unanswered, as a lost datagram would.
            GatewayLog.PeerChangeRequestFailed(logger, exception);
            metrics.Count(PacketType.Binding, PacketResult.Error);
        }

        return true;
    }

    private bool WithinRate()
    {
        var second = Environment.TickCount64 / 1000;
        if (Interlocked.Exchange(ref _window, second) != second)
        {
            Interlocked.Exchange(ref _forwardedInWindow, 0);
        }

        return Interlocked.Increment(ref _forwardedInWindow) <= options.MaxPeerChangeRequestsPerSecond;
    }
}
