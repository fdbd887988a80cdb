using System.Net;

namespace Matchmaker.Client.Upnp;

/// <summary>
/// Which external addresses an IGD may report for a mapping to be worth advertising.
/// </summary>
/// <remarks>
/// Only addresses that can never be reached from outside are refused: private (RFC 1918), shared
/// carrier-grade NAT space (RFC 6598), loopback, link-local, unspecified and multicast ones — they mean a
/// second NAT beyond the IGD. Documentation and other "reserved" ranges are accepted on purpose: they are
/// not routed on the internet, but they are what test networks (this project's NAT lab uses
/// 203.0.113.0/24) and some operators' internal networks use, and refusing them is why miniupnpc's
/// <c>upnpc</c> needs <c>-i</c> there. The decisive check is the second one: the IGD's address must be the
/// one the gateway sees, or the mapping sits behind another NAT and peers could not use it.
/// </remarks>
internal static class UpnpAddresses
{
    public static string? WhyUnusable(IPAddress external, IPAddress? observedPublic)
    {
        var b = external.GetAddressBytes();
        if (b.Length != 4)
        {
            return "not an IPv4 address";
        }

        var isPrivate = b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168);
        var isShared = b[0] == 100 && (b[1] & 0xC0) == 64;
        if (isPrivate || isShared || IPAddress.IsLoopback(external) || (b[0] == 169 && b[1] == 254) || b[0] == 0 || b[0] >= 224)
        {
            return "a private, shared, loopback, link-local or otherwise unreachable address; another NAT sits beyond the IGD";
        }

        if (observedPublic is not null && !observedPublic.Equals(external))
        {
            return $"the gateway sees this player at {observedPublic}, so another NAT sits beyond the IGD";
        }

        return null;
    }
}
