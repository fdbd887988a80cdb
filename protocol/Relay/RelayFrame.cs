using System.Buffers.Binary;

namespace Matchmaker.Protocol.Relay;

/// <summary>
/// The relay's data frame: 8 bytes of header, then the payload untouched. Like RFC 8656's ChannelData
/// it is told apart from STUN by its first byte: STUN's first two bits are zero (RFC 8489 §5), this
/// frame starts with 0x4D, inside the 64–79 range RFC 7983 §7 gives relayed channel data, so a socket
/// that also carries STUN (the client's one socket does) demultiplexes on one byte.
/// </summary>
/// <remarks>
/// Layout: 0x4D, version 1, two zero bytes, handle (u32, big-endian). From a client the handle names the
/// sender's side of the allocation; the relay rewrites it to the receiver's side before forwarding, so
/// it forwards in place without copying the payload.
/// </remarks>
public static class RelayFrame
{
    public const int HeaderLength = 8;
    public const byte Marker = 0x4D;
    public const byte Version = 1;

    public static bool IsFrame(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderLength && datagram[0] == Marker && datagram[1] == Version;

    public static bool TryRead(ReadOnlySpan<byte> datagram, out uint handle, out ReadOnlySpan<byte> payload)
    {
        if (!IsFrame(datagram) || datagram[2] != 0 || datagram[3] != 0)
        {
            handle = 0;
            payload = default;
            return false;
        }

        handle = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        payload = datagram[HeaderLength..];
        return true;
    }

    public static void WriteHeader(Span<byte> destination, uint handle)
    {
        destination[0] = Marker;
        destination[1] = Version;
        destination[2] = 0;
        destination[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], handle);
    }

    /// <summary>Writes header and payload; returns the frame's length.</summary>
    public static int Write(Span<byte> destination, uint handle, ReadOnlySpan<byte> payload)
    {
        WriteHeader(destination, handle);
        payload.CopyTo(destination[HeaderLength..]);
        return HeaderLength + payload.Length;
    }

    /// <summary>The relay's forwarding step: the same bytes, now addressed to the other side.</summary>
    public static void RewriteHandle(Span<byte> frame, uint handle) => BinaryPrimitives.WriteUInt32BigEndian(frame[4..], handle);
}
