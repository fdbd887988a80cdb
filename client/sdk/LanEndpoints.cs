using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Client;

/// <summary>
/// The addresses a peer behind the same NAT can reach this socket on. Needed because many routers do not
/// hairpin: two players behind one NAT can only meet on their LAN addresses.
/// </summary>
internal static class LanEndpoints
{
    public static IReadOnlyList<IPEndPoint> Discover(IPEndPoint bound)
    {
        if (!bound.Address.Equals(IPAddress.Any) && !bound.Address.Equals(IPAddress.IPv6Any))
        {
            return [bound];
        }

        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .Where(ip => ip.AddressFamily == AddressFamily.InterNetwork)
            .Distinct()
            .Take(ProtocolLimits.MaxLanEndpoints)
            .Select(ip => new IPEndPoint(ip, bound.Port))
            .ToList();
    }
}
