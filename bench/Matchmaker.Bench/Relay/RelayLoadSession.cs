using System.Net.Sockets;

namespace Matchmaker.Bench.Relay;

/// <summary>
/// One relayed flow as the generator sees it: the client socket bound to its allocation, and the header
/// that addresses a datagram to the peer through it (a Matchmaker data frame, or TURN ChannelData). The
/// peer side is the generator's one echo socket, as <c>turnutils_peer</c> is for uclient.
/// </summary>
internal sealed class RelayLoadSession(Socket client, byte[] header) : IDisposable
{
    public Socket Client { get; } = client;

    /// <summary>Written before the payload on the way out; the same length comes back in front of the echo.</summary>
    public byte[] Header { get; } = header;

    public void Dispose() => Client.Dispose();
}
