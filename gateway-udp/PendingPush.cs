using System.Net;

namespace Matchmaker.Gateway;

/// <summary>A push awaiting the player's acknowledgement.</summary>
internal sealed class PendingPush(GatewaySocket socket, SocketAddress destination, byte[] datagram, DateTimeOffset firstRetryAt)
{
    public GatewaySocket Socket { get; } = socket;

    public SocketAddress Destination { get; } = destination;

    public byte[] Datagram { get; } = datagram;

    public int Transmissions { get; set; } = 1;

    public DateTimeOffset NextAt { get; set; } = firstRetryAt;
}
