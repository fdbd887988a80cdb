using System.Net;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Client;

/// <summary>A verified direct path to another player. Send to it; its messages arrive as <see cref="PeerMessageReceived"/> events.</summary>
public sealed class PeerConnection
{
    private readonly PeerManager _manager;
    private readonly PeerLink _link;

    internal PeerConnection(PeerManager manager, PeerLink link)
    {
        _manager = manager;
        _link = link;
    }

    public Guid PeerId => _link.Introduction.PeerId;

    public string LobbyCode => _link.Introduction.LobbyCode;

    /// <summary>Which step of the connection plan this path came from (<c>direct</c>, <c>lan</c>, ...).</summary>
    public ConnectMethod Method => _link.Introduction.Method;

    public bool PeerIsHost => _link.Introduction.PeerIsHost;

    /// <summary>From the introduction's arrival to the verified path (what the client reports to the cluster).</summary>
    public TimeSpan TimeToConnect => _link.TimeToConnect;

    public IPEndPoint RemoteEndPoint => _link.Remote!;

    public bool IsConnected => _link.State == PeerLinkState.Connected;

    /// <summary>Sends one datagram (at most about 1 KB) to the peer. Throws if the connection has closed.</summary>
    public void Send(ReadOnlySpan<byte> data) => _manager.Send(_link, data);

    public override string ToString() => $"{PeerId:N} via {Method.ToWireName()} at {RemoteEndPoint}";
}
