namespace Matchmaker.Gateway;

/// <summary>The <c>type</c> tag of <c>matchmaker_gateway_packets_total</c>: a fixed set, so tags stay low-cardinality.</summary>
public enum PacketType
{
    /// <summary>Not a well-formed STUN message at all.</summary>
    Invalid,
    Binding,
    Register,
    Heartbeat,
    Host,
    Join,
    Leave,
    List,
    PushAck,
    Queue,
    QueueLeave,
    PunchReport,
    Other,
}
