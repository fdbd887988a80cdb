namespace Matchmaker.Protocol.Stun;

/// <summary>
/// Attribute types. Standard ones from RFC 8489 §18.3 and RFC 5780 §7; Matchmaker's own sit in
/// 0x4000–0x7FFF (comprehension-required, designated expert), so an old peer that does not know one
/// fails loudly instead of silently ignoring it.
/// </summary>
public static class StunAttributeType
{
    public const ushort MappedAddress = 0x0001;
    public const ushort ChangeRequest = 0x0003;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    public const ushort Realm = 0x0014;
    public const ushort Nonce = 0x0015;
    public const ushort MessageIntegritySha256 = 0x001C;
    public const ushort XorMappedAddress = 0x0020;
    public const ushort Padding = 0x0026;
    public const ushort ResponsePort = 0x0027;
    public const ushort Software = 0x8022;
    public const ushort Fingerprint = 0x8028;
    public const ushort ResponseOrigin = 0x802B;
    public const ushort OtherAddress = 0x802C;

    public const ushort PlayerId = 0x4001;
    public const ushort PlayerKey = 0x4002;
    public const ushort LobbyCode = 0x4003;
    public const ushort LobbyName = 0x4004;
    public const ushort MaxPlayers = 0x4005;
    public const ushort LanEndpoint = 0x4006;
    public const ushort PeerEndpoint = 0x4007;
    public const ushort IntroductionSecret = 0x4008;
    public const ushort IntroductionId = 0x4009;
    public const ushort NatCapabilities = 0x400A;
    public const ushort HeartbeatInterval = 0x400B;
    public const ushort ConnectMethod = 0x400C;
    public const ushort LobbyEntry = 0x400D;
    public const ushort Payload = 0x400E;
    public const ushort Lifetime = 0x400F;
    public const ushort PeerRole = 0x4010;
    public const ushort Reason = 0x4011;

    /// <summary>XOR address: the player's public IPv6 endpoint, learned by a Binding over IPv6 (presence, introductions).</summary>
    public const ushort Ipv6Endpoint = 0x4012;

    /// <summary>XOR address: an endpoint that accepts unsolicited packets — a UPnP mapping or a declared open port.</summary>
    public const ushort ListenEndpoint = 0x4013;

    /// <summary>XOR address: the gateway's IPv6 endpoint, in Register/Heartbeat answers, for the client's IPv6 Binding.</summary>
    public const ushort GatewayIpv6 = 0x4014;

    /// <summary>The relay allocation token (<c>RelayToken</c>, 32 bytes), in a bind request and an introduction.</summary>
    public const ushort RelayToken = 0x4030;

    /// <summary>The relay node a relayed introduction goes through (XOR-encoded like XOR-PEER-ADDRESS).</summary>
    public const ushort RelayEndpoint = 0x4031;

    /// <summary>The bind key for the token, sealed to the player like the introduction secret.</summary>
    public const ushort RelayKey = 0x4032;

    /// <summary>The 32-bit handle data frames to and from this side of the allocation carry.</summary>
    public const ushort RelayHandle = 0x4033;

    /// <summary>Queues (0x4040–0x404F): the game mode, lobby size and region a ticket asks for.</summary>
    public const ushort QueueMode = 0x4040;
    public const ushort QueueSize = 0x4041;
    public const ushort QueueRegion = 0x4042;

    /// <summary>One per player of a match, in the Matched push.</summary>
    public const ushort MatchedPlayer = 0x4043;

    /// <summary>PunchReport: how the punch ended, one byte (<c>PunchOutcome</c>).</summary>
    public const ushort PunchOutcome = 0x4020;

    /// <summary>PunchReport: the reporter's NAT-CAPABILITIES word.</summary>
    public const ushort OwnNat = 0x4021;

    /// <summary>PunchReport: the peer's NAT-CAPABILITIES word, as the introduction named it.</summary>
    public const ushort PeerNat = 0x4022;

    /// <summary>PunchReport: milliseconds from introduction to a verified path (or to giving up), 32 bits.</summary>
    public const ushort TimeToConnect = 0x4023;

    /// <summary>Peer indications: 64-bit sender sequence number, per link and direction, for anti-replay.</summary>
    public const ushort Sequence = 0x4050;

    /// <summary>RFC 8489 §15: types below 0x8000 must be understood or the message rejected.</summary>
    public static bool IsComprehensionRequired(ushort type) => type < 0x8000;
}
