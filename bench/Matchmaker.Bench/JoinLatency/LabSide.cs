using System.Globalization;

namespace Matchmaker.Bench.JoinLatency;

/// <summary>
/// One side of a benchmarked pair: a natlab.sh host name, or <c>upnp+open-port</c>, the UPnP router's LAN
/// host with a port forward made by hand (<see cref="OpenPortForward"/>, as a user's router page would) and
/// declared with <c>--open-port</c>, its own UPnP off so only the declaration can explain the connection.
/// </summary>
internal sealed record LabSide(string Name)
{
    public const string OpenPortName = "upnp+open-port";
    public const int OpenLocalPort = 21500;
    public const int OpenExternalPort = 31500;

    public bool IsOpenPort => Name == OpenPortName;

    /// <summary>The natlab.sh host whose namespace the peer runs in.</summary>
    public string LabHost => IsOpenPort ? "upnp" : Name;

    /// <summary>
    /// UPnP stays on only for the host behind the lab's IGD: elsewhere discovery finds nothing after its
    /// whole timeout, which every iteration's fresh client would wait out before it could host or join.
    /// </summary>
    public string[] PeerArguments => (IsOpenPort, Name) switch
    {
        (true, _) => ["--port", Port(OpenLocalPort), "--open-port", Port(OpenExternalPort), "--no-upnp"],
        (false, "upnp") => [],
        _ => ["--no-upnp"],
    };

    public override string ToString() => Name;

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
