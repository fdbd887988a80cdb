using System.Buffers.Binary;
using System.Net;

namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>
/// XOR-MAPPED-ADDRESS layout (RFC 8489 §14.2): port XOR the cookie's top half, address XOR cookie
/// (and transaction id for IPv6). XOR keeps NAT ALGs from rewriting addresses they find in payloads,
/// which is why Matchmaker's own endpoint attributes (LAN-ENDPOINT, PEER-ENDPOINT) use it too.
/// </summary>
public static class XorAddressAttribute
{
    public static int ValueLength(int addressLength) => AddressFamilyCodes.ValueLength(addressLength);

    public static void AppendXorAddress(this ref StunMessageWriter writer, ushort type, scoped ReadOnlySpan<byte> address, ushort port)
    {
        var transactionId = writer.TransactionId;
        Span<byte> txid = stackalloc byte[StunHeader.TransactionIdLength];
        transactionId.CopyTo(txid);
        var value = writer.Append(type, ValueLength(address.Length));
        value[0] = 0;
        value[1] = address.Length == 4 ? AddressFamilyCodes.IPv4 : AddressFamilyCodes.IPv6;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(port ^ (StunHeader.MagicCookie >> 16)));
        Transform(address, txid, value[4..]);
    }

    public static void AppendXorAddress(this ref StunMessageWriter writer, ushort type, IPEndPoint endpoint)
    {
        Span<byte> address = stackalloc byte[16];
        var length = EndpointBytes.Write(endpoint.Address, address);
        writer.AppendXorAddress(type, address[..length], (ushort)endpoint.Port);
    }

    public static bool TryReadXorAddress(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (value.Length < 4)
        {
            return false;
        }

        var length = value[1] switch
        {
            AddressFamilyCodes.IPv4 => 4,
            AddressFamilyCodes.IPv6 => 16,
            _ => -1,
        };
        if (length < 0 || value.Length != 4 + length)
        {
            return false;
        }

        Span<byte> address = stackalloc byte[16];
        Transform(value.Slice(4, length), transactionId, address[..length]);
        var port = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (StunHeader.MagicCookie >> 16));
        endpoint = new IPEndPoint(new IPAddress(address[..length]), port);
        return true;
    }

    public static bool TryGetXorAddress(this StunMessage message, ushort type, out IPEndPoint endpoint)
    {
        endpoint = null!;
        return message.TryGetAttribute(type, out ReadOnlySpan<byte> value) && TryReadXorAddress(value, message.TransactionId, out endpoint);
    }

    /// <summary>XOR is its own inverse, so one routine both encodes and decodes.</summary>
    private static void Transform(ReadOnlySpan<byte> source, ReadOnlySpan<byte> transactionId, Span<byte> destination)
    {
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunHeader.MagicCookie);
        transactionId.CopyTo(mask[4..]);
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = (byte)(source[i] ^ mask[i]);
        }
    }
}
