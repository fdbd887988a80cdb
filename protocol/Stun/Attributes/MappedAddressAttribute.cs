using System.Buffers.Binary;
using System.Net;

namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>
/// MAPPED-ADDRESS layout (RFC 8489 §14.1): zero, family, port, address in the clear. Used as is by
/// RESPONSE-ORIGIN and OTHER-ADDRESS (RFC 5780 §7.3–7.4).
/// </summary>
public static class MappedAddressAttribute
{
    public static int ValueLength(int addressLength) => AddressFamilyCodes.ValueLength(addressLength);

    public static void AppendMappedAddress(this ref StunMessageWriter writer, ushort type, scoped ReadOnlySpan<byte> address, ushort port)
    {
        var value = writer.Append(type, ValueLength(address.Length));
        value[0] = 0;
        value[1] = address.Length == 4 ? AddressFamilyCodes.IPv4 : AddressFamilyCodes.IPv6;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], port);
        address.CopyTo(value[4..]);
    }

    public static void AppendMappedAddress(this ref StunMessageWriter writer, ushort type, IPEndPoint endpoint)
    {
        Span<byte> address = stackalloc byte[16];
        var length = EndpointBytes.Write(endpoint.Address, address);
        writer.AppendMappedAddress(type, address[..length], (ushort)endpoint.Port);
    }

    public static bool TryReadMappedAddress(ReadOnlySpan<byte> value, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (value.Length < 4)
        {
            return false;
        }

        var expected = value[1] switch
        {
            AddressFamilyCodes.IPv4 => 4,
            AddressFamilyCodes.IPv6 => 16,
            _ => -1,
        };
        if (expected < 0 || value.Length != 4 + expected)
        {
            return false;
        }

        endpoint = new IPEndPoint(new IPAddress(value.Slice(4, expected)), BinaryPrimitives.ReadUInt16BigEndian(value[2..]));
        return true;
    }

    public static bool TryGetMappedAddress(this StunMessage message, ushort type, out IPEndPoint endpoint)
    {
        endpoint = null!;
        return message.TryGetAttribute(type, out ReadOnlySpan<byte> value) && TryReadMappedAddress(value, out endpoint);
    }
}
