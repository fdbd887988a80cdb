using Matchmaker.Protocol.Stun;

namespace Matchmaker.Gateway;

/// <summary>Tag words for <see cref="PacketType"/> and <see cref="PacketResult"/>, and the type of each method.</summary>
public static class PacketTypes
{
    public static PacketType ForMethod(ushort method) => method switch
    {
        StunMethods.Binding => PacketType.Binding,
        StunMethods.Register => PacketType.Register,
        StunMethods.Heartbeat => PacketType.Heartbeat,
        StunMethods.Host => PacketType.Host,
        StunMethods.Join => PacketType.Join,
        StunMethods.Leave => PacketType.Leave,
        StunMethods.List => PacketType.List,
        StunMethods.Queue => PacketType.Queue,
        StunMethods.QueueLeave => PacketType.QueueLeave,
        StunMethods.PunchReport => PacketType.PunchReport,
        _ => PacketType.Other,
    };

    public static string TagOf(PacketType type) => type switch
    {
        PacketType.PushAck => "push-ack",
        PacketType.QueueLeave => "queue-leave",
        PacketType.PunchReport => "punch-report",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static string TagOf(RateLimit limit) => limit switch
    {
        RateLimit.ErrorReplies => "error-replies",
        RateLimit.GatewayRequests => "gateway-requests",
        RateLimit.PlayerRequests => "player-requests",
        RateLimit.SourceFailedJoins => "source-failed-joins",
        _ => limit.ToString().ToLowerInvariant(),
    };

    public static string TagOf(PacketResult result) => result switch
    {
        PacketResult.AmplificationDropped => "amplification-dropped",
        PacketResult.RateLimited => "rate-limited",
        _ => result.ToString().ToLowerInvariant(),
    };
}
