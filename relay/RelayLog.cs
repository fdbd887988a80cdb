using System.Net;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Relay;

/// <summary>The relay node's log events (ids 1300–1399).</summary>
internal static partial class RelayLog
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Relay node {NodeId} listening on {Endpoint}, advertised as {Advertised}")]
    public static partial void Listening(ILogger logger, string nodeId, IPEndPoint endpoint, IPEndPoint advertised);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "Relay receive loop on {Endpoint} failed; serving on")]
    public static partial void ReceiveLoopFailed(ILogger logger, IPEndPoint endpoint, Exception exception);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Relay node {NodeId} could not reach the cluster: {Reason}")]
    public static partial void HeartbeatFailed(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "Relay node {NodeId} registered with the cluster as {Advertised}")]
    public static partial void Registered(ILogger logger, string nodeId, IPEndPoint advertised);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Relay:AllowLoopback is on: this node forwards to 127.0.0.0/8 and ::1. Tests and benchmarks only.")]
    public static partial void LoopbackAllowed(ILogger logger);
}
