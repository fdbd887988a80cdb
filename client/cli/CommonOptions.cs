using System.CommandLine;
using System.Net;

namespace Matchmaker.Cli;

/// <summary>Options every verb shares.</summary>
internal static class CommonOptions
{
    public static Option<string> Server() => new("--server")
    {
        Description = "Gateway address as HOST:PORT, e.g. 127.0.0.1:3478.",
        Required = true,
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Write one JSON object per line to stdout instead of a human display.",
    };

    /// <summary>Accepts IPv4:port, [IPv6]:port or hostname:port; a hostname is resolved, preferring IPv4.</summary>
    public static async Task<IPEndPoint> ResolveAsync(string server, CancellationToken cancellationToken)
    {
        if (IPEndPoint.TryParse(server, out var endpoint) && endpoint.Port != 0)
        {
            return endpoint;
        }

        var colon = server.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(server.AsSpan(colon + 1), out var port) || port == 0)
        {
            throw new ArgumentException($"--server '{server}' is not HOST:PORT.");
        }

        var addresses = await Dns.GetHostAddressesAsync(server[..colon], cancellationToken);
        var chosen = addresses.OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
            ?? throw new ArgumentException($"--server host '{server[..colon]}' did not resolve.");
        return new IPEndPoint(chosen, port);
    }
}
