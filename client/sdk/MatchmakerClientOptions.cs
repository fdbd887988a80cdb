using System.Net;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Client;

/// <summary>Settings for <see cref="MatchmakerClient"/>. Only <see cref="Server"/> is required.</summary>
public sealed class MatchmakerClientOptions
{
    /// <summary>The gateway's primary endpoint, e.g. 127.0.0.1:3478.</summary>
    public required IPEndPoint Server { get; init; }

    /// <summary>Local address and port to bind; port 0 lets the OS choose. Peers and the gateway share this one socket.</summary>
    public IPEndPoint? LocalEndPoint { get; init; }

    /// <summary>
    /// What the player declares about its network (an open port, say). Measured behaviour replaces the
    /// mapping and filtering when <see cref="ClassifyNat"/> is on; declared flags are kept.
    /// </summary>
    public NatCapabilities Capabilities { get; init; } = NatCapabilities.Unknown;

    /// <summary>Run RFC 5780 behaviour discovery on connect, so the cluster can plan connections. Needs a gateway with a second IP.</summary>
    public bool ClassifyNat { get; init; } = true;

    /// <summary>How long one discovery probe waits; a probe that times out is itself the finding (the NAT filtered it).</summary>
    public TimeSpan NatProbeTimeout { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Learn a public IPv6 endpoint (a Binding over IPv6 to the address the gateway names) and offer it to
    /// peers, so two IPv6 players connect over IPv6 (<c>ipv6</c>). Needs a gateway with <c>Gateway:Address6</c>.
    /// </summary>
    public bool Ipv6 { get; init; } = true;

    /// <summary>
    /// Look for a UPnP Internet Gateway Device on the LAN and map this client's UDP port on it, so peers
    /// whose NAT defeats hole punching can connect (<c>upnp</c>). The mapping is deleted on dispose.
    /// </summary>
    public bool Upnp { get; init; } = true;

    /// <summary>How long the SSDP search waits for an IGD to answer; runs alongside NAT discovery.</summary>
    public TimeSpan UpnpDiscoveryTimeout { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Lease asked for a UPnP mapping, renewed at half-life; zero asks for a permanent mapping (deleted on dispose all the same).</summary>
    public TimeSpan UpnpLeaseDuration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The player's declaration that its router forwards this external UDP port to <see cref="LocalEndPoint"/>'s
    /// port (0: the same port number). Peers are told to connect to it (<c>open-port</c>); UPnP is then not tried.
    /// Bind a fixed <see cref="LocalEndPoint"/> port for the forward to point at.
    /// </summary>
    public int? OpenPort { get; init; }

    /// <summary>How long a request to the gateway is retransmitted (RFC 8489 schedule) before giving up.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long both sides punch before reporting <c>punch-timeout</c>.</summary>
    public TimeSpan PunchTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gap between punch probes to each candidate endpoint.</summary>
    public TimeSpan PunchInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Idle time after which a keepalive is sent to a connected peer; 15 s or less keeps NAT mappings open.</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Silence after which a connected peer is reported lost (<c>peer-timeout</c>).</summary>
    public TimeSpan PeerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Tell the cluster how each punch ended (method, both NAT classes, outcome, time to connect; never an
    /// address) so operators see success rates per NAT pair. Sent once per introduction, signed.
    /// </summary>
    public bool ReportPunchOutcomes { get; init; } = true;

    /// <summary>Capacity of the event channel; events beyond it are dropped and counted in <see cref="MatchmakerClient.DroppedEvents"/>.</summary>
    public int EventCapacity { get; init; } = 4096;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
