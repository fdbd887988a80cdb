using System.Net;
using Matchmaker.Grains;

namespace Matchmaker.Gateway;

/// <summary>One address of another gateway node that listens on this node's ports, with the observer that answers for it.</summary>
internal sealed class PeerGateway(IGatewayPeer peer, IPAddress address)
{
    public IGatewayPeer Peer { get; } = peer;

    public IPAddress Address { get; } = address;

    /// <summary>Cached so OTHER-ADDRESS is written without allocating.</summary>
    public byte[] AddressBytes { get; } = address.GetAddressBytes();
}
