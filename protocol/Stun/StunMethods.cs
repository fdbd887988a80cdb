namespace Matchmaker.Protocol.Stun;

/// <summary>
/// STUN methods. Binding is RFC 8489's; the rest are Matchmaker's own, taken from the range
/// 0x800–0xFFF that RFC 8489 §18.2 leaves to designated expert review, so no IETF method collides.
/// </summary>
public static class StunMethods
{
    public const ushort Binding = 0x001;

    public const ushort Register = 0x801;
    public const ushort Heartbeat = 0x802;
    public const ushort Host = 0x803;
    public const ushort Join = 0x804;
    public const ushort Leave = 0x805;
    public const ushort List = 0x806;

    /// <summary>Pushed by the gateway: meet this peer. The client acknowledges with a success response.</summary>
    public const ushort Introduction = 0x807;

    /// <summary>Pushed by the gateway: the lobby you were in has ended.</summary>
    public const ushort LobbyClosed = 0x808;

    /// <summary>Client to gateway: how one punch ended (method, both NAT classes, outcome, time to connect), for the cluster's metrics.</summary>
    public const ushort PunchReport = 0x809;

    /// <summary>Peer to peer: a hole-punch probe carrying proof of the introduction secret.</summary>
    public const ushort Punch = 0x810;

    /// <summary>Peer to peer: application data on an established path.</summary>
    public const ushort PeerData = 0x811;

    /// <summary>Peer to peer: keeps both NAT mappings open while the game is quiet.</summary>
    public const ushort Keepalive = 0x812;

    /// <summary>Peer to peer: the sender is leaving; stop waiting for it.</summary>
    public const ushort Bye = 0x813;

    /// <summary>Client to relay node: bind this socket to one side of an allocation (token + HMAC). Also the refresh.</summary>
    public const ushort RelayBind = 0x820;

    /// <summary>Pushed by the gateway: the relay node carrying this introduction's traffic is gone.</summary>
    public const ushort RelayLost = 0x821;

    /// <summary>Enqueue for a match (mode, size, region); the answer only confirms the ticket.</summary>
    public const ushort Queue = 0x830;

    /// <summary>Withdraw the queued ticket.</summary>
    public const ushort QueueLeave = 0x831;

    /// <summary>Pushed by the gateway: the queue formed a match; introductions to its players follow.</summary>
    public const ushort Matched = 0x832;

    /// <summary>0x830–0x83F belong to matchmaking queues.</summary>
    public static bool IsControl(ushort method) => method is >= Register and <= PunchReport or RelayLost or >= Queue and <= 0x83F;

    /// <summary>Control methods the gateway sends unasked; the client answers them with a success response.</summary>
    public static bool IsPush(ushort method) => method is Introduction or LobbyClosed or RelayLost or Matched;

    /// <summary>Methods a relay node answers (0x820–0x82F are the relay's range).</summary>
    public static bool IsRelay(ushort method) => method == RelayBind;

    public static bool IsPeer(ushort method) => method is >= Punch and <= Bye;
}
