namespace Matchmaker.Protocol.Stun;

/// <summary>Fixed facts of the 20-byte STUN header (RFC 8489 §5).</summary>
public static class StunHeader
{
    public const int Length = 20;
    public const uint MagicCookie = 0x2112A442;
    public const int TransactionIdLength = 12;
    public const int TransactionIdOffset = 8;

    /// <summary>
    /// Cheap demultiplexing test (RFC 8489 §5 and RFC 7983): the top two bits are zero and the magic
    /// cookie is in place. Game traffic and STUN share one socket, so this runs on every datagram.
    /// </summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= Length
        && (datagram[0] & 0xC0) == 0
        && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == MagicCookie;
}
