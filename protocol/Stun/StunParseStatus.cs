namespace Matchmaker.Protocol.Stun;

/// <summary>Why a datagram is or is not a well-formed STUN message (RFC 8489 §6.3).</summary>
public enum StunParseStatus : byte
{
    Ok,
    TooShort,
    NotStun,
    BadMagicCookie,
    LengthMismatch,
    MalformedAttribute,
    AttributeAfterFingerprint,
}
