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

    /// <summary>Peer indications: 64-bit sender sequence number, per link and direction, for anti-replay.</summary>
    public const ushort Sequence = 0x4050;

    /// <summary>RFC 8489 §15: types below 0x8000 must be understood or the message rejected.</summary>
    public static bool IsComprehensionRequired(ushort type) => type < 0x8000;
}
