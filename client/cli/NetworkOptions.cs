using System.CommandLine;
using System.Net;
using Matchmaker.Client;

namespace Matchmaker.Cli;

/// <summary>The flags that say how this player's network may be reached: local port, a declared open port, UPnP.</summary>
internal sealed class NetworkOptions
{
    private readonly Option<int> _port = new("--port")
    {
        Description = "Local UDP port to bind (0: any). Point a router's port forward at it and add --open-port.",
        DefaultValueFactory = _ => 0,
    };

    private readonly Option<int?> _openPort = new("--open-port")
    {
        Description = "Your router forwards this external UDP port (default: the --port number) to this machine; peers connect to it.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<bool> _noUpnp = new("--no-upnp")
    {
        Description = "Do not look for a UPnP gateway device or map a port on it.",
    };

    private readonly Option<int> _upnpLease = new("--upnp-lease")
    {
        Description = "Lease in seconds asked for the UPnP mapping, renewed at half-life (0: permanent, still deleted on exit).",
        DefaultValueFactory = _ => 3600,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_port);
        command.Options.Add(_openPort);
        command.Options.Add(_noUpnp);
        command.Options.Add(_upnpLease);
    }

    /// <summary>Client options for <paramref name="server"/>; a bad combination is an <see cref="ArgumentException"/> (exit 2).</summary>
    public MatchmakerClientOptions ToClientOptions(ParseResult parse, IPEndPoint server)
    {
        var port = parse.GetValue(_port);
        if (port is < 0 or > 65535)
        {
            throw new ArgumentException($"--port {port} is not a UDP port (0-65535).");
        }

        int? openPort = null;
        if (parse.GetResult(_openPort) is not null)
        {
            openPort = parse.GetValue(_openPort) ?? 0;
            if (openPort is < 0 or > 65535)
            {
                throw new ArgumentException($"--open-port {openPort} is not a UDP port (1-65535).");
            }

            if (openPort == 0 && port == 0)
            {
                throw new ArgumentException("--open-port without a number means the --port number: give --port N (the port your router forwards).");
            }
        }

        var lease = parse.GetValue(_upnpLease);
        if (lease is < 0 or > 604800)
        {
            throw new ArgumentException($"--upnp-lease {lease} is not 0 to 604800 seconds (UPnP IGD:2's longest lease).");
        }

        var any = server.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        return new MatchmakerClientOptions
        {
            Server = server,
            LocalEndPoint = new IPEndPoint(any, port),
            OpenPort = openPort,
            Upnp = !parse.GetValue(_noUpnp),
            UpnpLeaseDuration = TimeSpan.FromSeconds(lease),
        };
    }
}
