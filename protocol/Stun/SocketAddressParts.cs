using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Matchmaker.Protocol.Stun;

/// <summary>
/// Reads the port and address straight out of a native sockaddr held by <see cref="SocketAddress"/>,
/// so the packet path can reflect an endpoint without building an <see cref="IPEndPoint"/>.
/// Layout is sockaddr_in / sockaddr_in6: family(2) port(2) then the v4 address, or flowinfo(4) and the v6 address.
/// </summary>
public static class SocketAddressParts
{
    private static ReadOnlySpan<byte> V4MappedPrefix => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF];

    public static ushort GetPort(SocketAddress address) => BinaryPrimitives.ReadUInt16BigEndian(address.Buffer.Span[2..]);

    /// <summary>4 bytes for IPv4 (including IPv4-mapped IPv6, as a dual-mode socket reports it), else 16.</summary>
    public static ReadOnlySpan<byte> GetAddressBytes(SocketAddress address)
    {
        var raw = address.Buffer.Span;
        if (address.Family == AddressFamily.InterNetwork)
        {
            return raw.Slice(4, 4);
        }

        var v6 = raw.Slice(8, 16);
        return v6.StartsWith(V4MappedPrefix) ? v6[12..] : v6;
    }

    public static IPEndPoint ToEndPoint(SocketAddress address) =>
        new(new IPAddress(GetAddressBytes(address)), GetPort(address));

    public static bool SameEndpoint(SocketAddress address, IPEndPoint endpoint)
    {
        if (GetPort(address) != endpoint.Port)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        var ip = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        return ip.TryWriteBytes(bytes, out var written) && GetAddressBytes(address).SequenceEqual(bytes[..written]);
    }
}
