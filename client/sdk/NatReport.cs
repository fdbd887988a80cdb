using System.Net;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Client;

/// <summary>What RFC 5780 behaviour discovery found out about the player's network.</summary>
public sealed record NatReport(IPEndPoint Mapped, NatMapping Mapping, NatFiltering Filtering, bool Ipv6, bool Upnp, bool OpenPort)
{
    public NatCapabilities Capabilities => new(Mapping, Filtering, Ipv6, Upnp, OpenPort);
}
