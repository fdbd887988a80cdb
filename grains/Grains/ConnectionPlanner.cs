using System.Net;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains;

/// <summary>
/// Decides how two peers connect, in the order of DESIGN.md (seed 002). Returns null when no direct
/// path exists and only a relay can help. An unknown mapping is treated as endpoint-independent:
/// optimistic, because an unclassified player is far more often behind a cone NAT than a symmetric one.
/// Unknown filtering is not assumed open: classification yields both or neither, so it only matters
/// for a declared-capability client, and then the cautious answer (no cone-to-symmetric) is right.
/// </summary>
public static class ConnectionPlanner
{
    public static ConnectMethod? Plan(PeerCard a, PeerCard b) =>
        Plan(a.PublicEndpoint.Address, UsableCapabilities(a), b.PublicEndpoint.Address, UsableCapabilities(b));

    /// <summary>
    /// A flag counts only with the endpoint that makes it usable, because the introduction must carry it:
    /// IPv6 needs a public IPv6 endpoint, an open or UPnP port a listen endpoint.
    /// </summary>
    public static NatCapabilities UsableCapabilities(PeerCard card) => card.Capabilities with
    {
        Ipv6 = card.Capabilities.Ipv6 && card.Ipv6Endpoint is not null,
        OpenPort = card.Capabilities.OpenPort && card.ListenEndpoint is not null,
        Upnp = card.Capabilities.Upnp && card.ListenEndpoint is not null,
    };

    /// <summary>The same decision from the two facts it rests on: public address and NAT capabilities.</summary>
    public static ConnectMethod? Plan(IPAddress publicA, NatCapabilities ca, IPAddress publicB, NatCapabilities cb)
    {
        // Same public address means the same NAT; many routers do not hairpin, so only LAN endpoints work.
        // IPv6 would also work there, but the LAN path is shorter.
        if (publicA.Equals(publicB))
        {
            return ConnectMethod.Lan;
        }

        if (ca.Ipv6 && cb.Ipv6)
        {
            return ConnectMethod.Ipv6;
        }

        if (IsEndpointIndependent(ca.Mapping) && IsEndpointIndependent(cb.Mapping))
        {
            return ConnectMethod.Direct;
        }

        if (IsConeThatAcceptsSymmetric(ca, cb) || IsConeThatAcceptsSymmetric(cb, ca))
        {
            return ConnectMethod.ConeToSymmetric;
        }

        // The open side listens on its advertised endpoint and the other side connects to it.
        if (ca.OpenPort || cb.OpenPort)
        {
            return ConnectMethod.OpenPort;
        }

        if (ca.Upnp || cb.Upnp)
        {
            return ConnectMethod.Upnp;
        }

        return null;
    }

    private static bool IsEndpointIndependent(NatMapping mapping) =>
        mapping is NatMapping.EndpointIndependent or NatMapping.Unknown;

    /// <summary>
    /// The cone side punches toward the symmetric side's IP; its filter must let the symmetric side's
    /// unpredictable port in, which endpoint-independent or address-dependent filtering does.
    /// </summary>
    private static bool IsConeThatAcceptsSymmetric(NatCapabilities cone, NatCapabilities symmetric) =>
        IsEndpointIndependent(cone.Mapping)
        && cone.Filtering is NatFiltering.EndpointIndependent or NatFiltering.AddressDependent
        && !IsEndpointIndependent(symmetric.Mapping);
}
