using System.Net;
using System.Net.Sockets;

namespace Matchmaker.Tests.Infrastructure;

/// <summary>TCP ports for Orleans, which must be known before the silo binds them.</summary>
internal static class FreePorts
{
    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
