using System.Net;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Client;

/// <summary>What RFC 5780 behaviour discovery found out about the player's network.</summary>
public sealed record NatReport(IPEndPoint Mapped, NatMapping Mapping, NatFiltering Filtering, bool Ipv6, bool Upnp, bool OpenPort)
{
    /// <summary>The public IPv6 endpoint a Binding over IPv6 saw, when <see cref="Ipv6"/>.</summary>
    public IPEndPoint? Ipv6EndPoint { get; init; }

    /// <summary>The endpoint peers may connect to unsolicited: the UPnP mapping or the declared open port.</summary>
    public IPEndPoint? ListenEndPoint { get; init; }

    /// <summary>Why an IGD that answered gave no mapping (a SOAP fault, an unusable external address), if it did not.</summary>
    public string? UpnpError { get; init; }

    public NatCapabilities Capabilities => new(Mapping, Filtering, Ipv6, Upnp, OpenPort);
}
