using System.Net;
using Matchmaker.Client;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Bench.JoinLatency;

/// <summary>How a <see cref="JoinLatencyPeer"/> reaches the gateway and may be reached: the <c>mm</c> flags --port, --open-port and --no-upnp.</summary>
internal sealed record PeerNetwork(IPEndPoint Server, int Port, int? OpenPort, bool Upnp)
{
    /// <summary>Client options: with <paramref name="declared"/>, the NAT is not classified again but declared.</summary>
    public MatchmakerClientOptions ToOptions(NatCapabilities? declared = null) => new()
    {
        Server = Server,
        LocalEndPoint = Port == 0 ? null : new IPEndPoint(IPAddress.Any, Port),
        OpenPort = OpenPort,
        Upnp = Upnp,
        ClassifyNat = declared is null,
        Capabilities = declared ?? NatCapabilities.Unknown,
    };
}
