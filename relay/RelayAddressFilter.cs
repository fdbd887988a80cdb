using System.Net;
using System.Net.Sockets;

namespace Matchmaker.Relay;

/// <summary>
/// The addresses a relay never forwards to, so it cannot be turned against the operator's own network
/// or used to reach what the internet cannot (the same concern as RFC 8656 §21.3.3 and §22). Taken from
/// IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and updates); everything outside
/// 2000::/3 is refused for IPv6. The deny list, most specific first:
/// <list type="bullet">
/// <item>IPv4: 0.0.0.0/8 unspecified; 127.0.0.0/8 loopback; 10/8, 172.16/12, 192.168/16 (RFC 1918) and
/// 100.64/10 (RFC 6598 shared) private; 169.254/16 link-local; 224/4 multicast; 192.0.2/24, 198.51.100/24,
/// 203.0.113/24 documentation; 192.0.0/24, 192.88.99/24, 198.18/15, 240/4 (incl. broadcast) reserved.</item>
/// <item>IPv6: :: unspecified; ::1 loopback; ::ffff:0:0/96 judged by its IPv4 address; fc00::/7 (ULA)
/// private; fe80::/10 link-local; ff00::/8 multicast; 2001:db8::/32, 3fff::/20 documentation;
/// 64:ff9b::/96, 64:ff9b:1::/48 (NAT64, hides an IPv4 target), 100::/64, 2001::/23, 2002::/16 (6to4,
/// hides an IPv4 target), 5f00::/16, fec0::/10 and anything else outside 2000::/3 reserved.</item>
/// </list>
/// Only documentation and loopback can be let through, and only by explicit options for labs and benchmarks.
/// </summary>
public static class RelayAddressFilter
{
    private static readonly (byte[] Prefix, int Bits, RelayAddressClass Class)[] V4 =
    [
        ([0, 0, 0, 0], 8, RelayAddressClass.Unspecified),
        ([127, 0, 0, 0], 8, RelayAddressClass.Loopback),
        ([10, 0, 0, 0], 8, RelayAddressClass.Private),
        ([172, 16, 0, 0], 12, RelayAddressClass.Private),
        ([192, 168, 0, 0], 16, RelayAddressClass.Private),
        ([100, 64, 0, 0], 10, RelayAddressClass.Private),
        ([169, 254, 0, 0], 16, RelayAddressClass.LinkLocal),
        ([224, 0, 0, 0], 4, RelayAddressClass.Multicast),
        ([192, 0, 2, 0], 24, RelayAddressClass.Documentation),
        ([198, 51, 100, 0], 24, RelayAddressClass.Documentation),
        ([203, 0, 113, 0], 24, RelayAddressClass.Documentation),
        ([192, 0, 0, 0], 24, RelayAddressClass.Reserved),
        ([192, 88, 99, 0], 24, RelayAddressClass.Reserved),
        ([198, 18, 0, 0], 15, RelayAddressClass.Reserved),
        ([240, 0, 0, 0], 4, RelayAddressClass.Reserved),
    ];

    private static readonly (byte[] Prefix, int Bits, RelayAddressClass Class)[] V6 =
    [
        (Bytes(0x0000), 128, RelayAddressClass.Unspecified),
        (Bytes(0x0000, 0, 0, 0, 0, 0, 0, 1), 128, RelayAddressClass.Loopback),
        (Bytes(0xfc00), 7, RelayAddressClass.Private),
        (Bytes(0xfe80), 10, RelayAddressClass.LinkLocal),
        (Bytes(0xff00), 8, RelayAddressClass.Multicast),
        (Bytes(0x2001, 0x0db8), 32, RelayAddressClass.Documentation),
        (Bytes(0x3fff), 20, RelayAddressClass.Documentation),
        (Bytes(0x2001), 23, RelayAddressClass.Reserved),
        (Bytes(0x2002), 16, RelayAddressClass.Reserved),
        (Bytes(0x5f00), 16, RelayAddressClass.Reserved),
        (Bytes(0x2000), -3, RelayAddressClass.Public),
    ];

    /// <summary>Classifies an address (IPv4-mapped IPv6 by its IPv4 address).</summary>
    public static RelayAddressClass Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length))
        {
            return RelayAddressClass.Reserved;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Match(V4, bytes[..length]) ?? RelayAddressClass.Public;
        }

        // NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and the rest of ::/8, 100::/64 and fec0::/10 all fall outside 2000::/3.
        return Match(V6, bytes[..length]) ?? RelayAddressClass.Reserved;
    }

    public static bool MayForward(IPAddress address, RelayOptions options) => Classify(address) switch
    {
        RelayAddressClass.Public => true,
        RelayAddressClass.Documentation => options.AllowDocumentationRanges,
        RelayAddressClass.Loopback => options.AllowLoopback,
        _ => false,
    };

    private static RelayAddressClass? Match((byte[] Prefix, int Bits, RelayAddressClass Class)[] table, ReadOnlySpan<byte> address)
    {
        foreach (var (prefix, bits, addressClass) in table)
        {
            // A negative length marks the one allow-rule: inside this prefix and not denied above means public.
            if (InPrefix(address, prefix, Math.Abs(bits)))
            {
                return addressClass;
            }
        }

        return null;
    }

    private static bool InPrefix(ReadOnlySpan<byte> address, byte[] prefix, int bits)
    {
        var whole = bits / 8;
        if (!address[..whole].SequenceEqual(prefix.AsSpan(0, whole)))
        {
            return false;
        }

        var rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (address[whole] & mask) == (prefix[whole] & mask);
    }

    private static byte[] Bytes(params ushort[] groups)
    {
        var bytes = new byte[16];
        for (var i = 0; i < groups.Length; i++)
        {
            bytes[2 * i] = (byte)(groups[i] >> 8);
            bytes[(2 * i) + 1] = (byte)groups[i];
        }

        return bytes;
    }
}
