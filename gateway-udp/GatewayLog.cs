using System.Net;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Gateway;

/// <summary>Every gateway log line, source-generated with stable event ids (Kestrel's SocketsLog is the model).</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Gateway listening on UDP {Endpoint} ({Role})")]
    public static partial void Listening(ILogger logger, IPEndPoint endpoint, string role);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Gateway:Secret is not set; this gateway drew a random one. Set it when running more than one gateway.")]
    public static partial void EphemeralSecret(ILogger logger);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Receive loop on {Endpoint} failed; restarting it")]
    public static partial void ReceiveLoopFailed(ILogger logger, IPEndPoint endpoint, Exception exception);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Cluster call for {Type} failed")]
    public static partial void ClusterCallFailed(ILogger logger, PacketType type, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Push abandoned unacknowledged after {Attempts} transmissions")]
    public static partial void PushAbandoned(ILogger logger, int attempts);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Push for a gateway socket {Endpoint} this node does not have")]
    public static partial void UnknownPushSocket(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Gateway drained; {InFlight} requests still in flight and {PendingPushes} pushes unacknowledged left behind")]
    public static partial void Drained(ILogger logger, int inFlight, int pendingPushes);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Peer gateway addresses known for RFC 5780 change-IP: {Count}")]
    public static partial void PeerGatewaysChanged(ILogger logger, int count);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Gateway directory unreachable; keeping the last known peer gateways")]
    public static partial void DirectoryUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Debug, Message = "Handing a change-IP probe to a peer gateway failed")]
    public static partial void PeerChangeRequestFailed(ILogger logger, Exception exception);
}
