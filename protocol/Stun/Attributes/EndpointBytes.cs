using System.Net;

namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>Writes an address as 4 bytes when it is IPv4 or IPv4-mapped, so the wire never carries ::ffff:a.b.c.d.</summary>
internal static class EndpointBytes
{
    public static int Write(IPAddress address, Span<byte> destination)
    {
        var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return ip.TryWriteBytes(destination, out var written)
            ? written
            : throw new ArgumentException("Destination too small for an IP address.", nameof(destination));
    }
}
