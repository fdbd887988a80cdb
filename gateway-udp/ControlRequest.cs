using System.Collections.Immutable;
using System.Net;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Gateway;

/// <summary>
/// An authenticated control request, decoded on the receive thread so the asynchronous part (grain
/// calls) works with plain values instead of the datagram buffer, which is reused for the next packet.
/// </summary>
internal sealed record ControlRequest(
    ushort Method,
    byte[] TransactionId,
    Guid PlayerId,
    PlayerKey Key,
    bool IsNewPlayer,
    IPEndPoint Source,
    GatewaySocket Socket,
    ImmutableArray<IPEndPoint> LanEndpoints,
    NatCapabilities Capabilities,
    string? LobbyName,
    int MaxPlayers,
    string? LobbyCode,
    IPEndPoint? Ipv6Endpoint = null,
    IPEndPoint? ListenEndpoint = null,
    string? QueueMode = null,
    int QueueSize = 0,
    string? QueueRegion = null,
    PunchReportMessage? PunchReport = null);
