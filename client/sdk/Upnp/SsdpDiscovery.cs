using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Matchmaker.Client.Upnp;

/// <summary>
/// SSDP search for an Internet Gateway Device (UPnP Device Architecture 1.1 §1.3.2): an M-SEARCH to
/// 239.255.255.250:1900 from the LAN address that routes to the gateway, answered by unicast with a
/// LOCATION header naming the device description. Bounded by a short timeout; the first answer wins.
/// </summary>
internal static class SsdpDiscovery
{
    private static readonly IPEndPoint MulticastGroup = new(IPAddress.Parse("239.255.255.250"), 1900);

    /// <summary>IGD:1 first: every IGD:2 must answer it too (UDA's backward compatibility of device versions).</summary>
    private static readonly string[] SearchTargets =
    [
        "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
        "urn:schemas-upnp-org:device:InternetGatewayDevice:2",
    ];

    /// <summary>The description URL of the first IGD that answers from <paramref name="lanAddress"/>'s network, or null.</summary>
    public static async Task<Uri?> FindAsync(IPAddress lanAddress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(lanAddress, 0));
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, lanAddress.GetAddressBytes());

        // UDA 1.1: TTL 2 by default; an IGD is one hop away.
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 2);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var receiving = ReceiveAsync(socket, deadline.Token);

        // UDP may drop a search; a second round halfway through costs nothing.
        foreach (var round in new[] { TimeSpan.Zero, timeout / 3 })
        {
            if (round > TimeSpan.Zero && await Task.WhenAny(receiving, Task.Delay(round, deadline.Token)) == receiving)
            {
                break;
            }

            foreach (var target in SearchTargets)
            {
                try
                {
                    await socket.SendToAsync(Encoding.ASCII.GetBytes(Search(target, timeout)), SocketFlags.None, MulticastGroup, deadline.Token);
                }
                catch (SocketException)
                {
                    // No multicast route on this network: then no IGD will answer either.
                    return null;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        return await receiving;
    }

    /// <summary>Reads answers until one names a description on the host that sent it, or the deadline.</summary>
    private static async Task<Uri?> ReceiveAsync(Socket socket, CancellationToken deadline)
    {
        var buffer = new byte[2048];
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), deadline);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (SocketException)
            {
                continue;
            }

            var from = ((IPEndPoint)received.RemoteEndPoint).Address;
            if (TryReadLocation(Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes), from, out var location))
            {
                return location;
            }
        }
    }

    private static string Search(string target, TimeSpan timeout) =>
        "M-SEARCH * HTTP/1.1\r\n"
        + "HOST: 239.255.255.250:1900\r\n"
        + "MAN: \"ssdp:discover\"\r\n"
        + $"MX: {Math.Clamp((int)timeout.TotalSeconds, 1, 5)}\r\n"
        + $"ST: {target}\r\n"
        + "\r\n";

    /// <summary>
    /// A 200 answer with an http LOCATION on the very host that answered: a description elsewhere would let
    /// any LAN host send this client's HTTP requests wherever it liked.
    /// </summary>
    internal static bool TryReadLocation(string answer, IPAddress from, out Uri location)
    {
        location = null!;
        var lines = answer.Split("\r\n");
        if (lines.Length == 0 || !lines[0].StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0
                && line[..colon].Trim().Equals("LOCATION", StringComparison.OrdinalIgnoreCase)
                && Uri.TryCreate(line[(colon + 1)..].Trim(), UriKind.Absolute, out var uri)
                && uri.Scheme == Uri.UriSchemeHttp
                && IPAddress.TryParse(uri.Host, out var host)
                && host.Equals(from))
            {
                location = uri;
                return true;
            }
        }

        return false;
    }
}
