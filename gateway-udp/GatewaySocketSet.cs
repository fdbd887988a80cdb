using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Matchmaker.Gateway;

/// <summary>
/// Every socket the gateway listens on. A wildcard address is expanded to one group per local IPv4
/// address (as coturn does), so each socket knows the exact address it answers from — RESPONSE-ORIGIN
/// and OTHER-ADDRESS must name real addresses, and pushes must leave from the address a player used.
/// </summary>
internal sealed class GatewaySocketSet : IDisposable
{
    private readonly List<GatewaySocket> _sockets = [];

    private GatewaySocketSet()
    {
    }

    public IReadOnlyList<GatewaySocket> Sockets => _sockets;

    public static GatewaySocketSet Bind(GatewayOptions options)
    {
        var set = new GatewaySocketSet();
        try
        {
            var address = IPAddress.Parse(options.Address);
            var alternate = options.AlternateAddress is null ? null : IPAddress.Parse(options.AlternateAddress);
            foreach (var local in Expand(address))
            {
                set.BindGroup(local, alternate, options);
            }

            if (options.Address6 is not null)
            {
                set.BindGroup(IPAddress.Parse(options.Address6), null, options);
            }

            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    public GatewaySocket? Find(IPEndPoint local) => _sockets.Find(s => s.LocalEndPoint.Equals(local));

    /// <summary>The primary IPv6 endpoint (<c>Gateway:Address6</c>), if any: where clients send their IPv6 Binding.</summary>
    public IPEndPoint? PrimaryIpv6 => _sockets.Find(s => s.Role == "primary" && s.LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6)?.LocalEndPoint;

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private void BindGroup(IPAddress address, IPAddress? alternate, GatewayOptions options)
    {
        var primary = Add(new IPEndPoint(address, options.Port), "primary", options);
        var altPort = Add(new IPEndPoint(address, options.AlternatePort), "alternate-port", options);
        primary.ChangePort = altPort;
        altPort.ChangePort = primary;
        if (alternate is null)
        {
            return;
        }

        var altIp = Add(new IPEndPoint(alternate, primary.LocalPort), "alternate-address", options);
        var altBoth = Add(new IPEndPoint(alternate, altPort.LocalPort), "alternate-address-and-port", options);
        primary.ChangeIp = altIp;
        primary.ChangeBoth = altBoth;
        altPort.ChangeIp = altBoth;
        altPort.ChangeBoth = altIp;
        altIp.ChangePort = altBoth;
        altIp.ChangeIp = primary;
        altIp.ChangeBoth = altPort;
        altBoth.ChangePort = altIp;
        altBoth.ChangeIp = altPort;
        altBoth.ChangeBoth = primary;
    }

    private GatewaySocket Add(IPEndPoint endpoint, string role, GatewayOptions options)
    {
        var socket = new GatewaySocket(endpoint, role, options.SocketBufferBytes, options.EffectiveReceiveLoops);
        _sockets.Add(socket);
        return socket;
    }

    private static List<IPAddress> Expand(IPAddress address)
    {
        if (!address.Equals(IPAddress.Any))
        {
            return [address];
        }

        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .Where(ip => ip.AddressFamily == AddressFamily.InterNetwork)
            .Distinct()
            .ToList();
    }
}
