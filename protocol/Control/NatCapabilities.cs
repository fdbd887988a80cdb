namespace Matchmaker.Protocol.Control;

/// <summary>
/// What a player's network allows, as the NAT-CAPABILITIES attribute carries it in one 32-bit word:
/// mapping in byte 0, filtering in byte 1, flags (IPv6, UPnP, open port) in byte 2.
/// </summary>
public readonly record struct NatCapabilities(NatMapping Mapping, NatFiltering Filtering, bool Ipv6, bool Upnp, bool OpenPort)
{
    private const uint Ipv6Flag = 1;
    private const uint UpnpFlag = 2;
    private const uint OpenPortFlag = 4;

    public static NatCapabilities Unknown => default;

    public uint Encode() =>
        (uint)Mapping
        | ((uint)Filtering << 8)
        | ((Ipv6 ? Ipv6Flag : 0) | (Upnp ? UpnpFlag : 0) | (OpenPort ? OpenPortFlag : 0)) << 16;

    public static bool TryDecode(uint value, out NatCapabilities capabilities)
    {
        var mapping = (NatMapping)(value & 0xFF);
        var filtering = (NatFiltering)((value >> 8) & 0xFF);
        var flags = (value >> 16) & 0xFF;
        capabilities = new NatCapabilities(mapping, filtering, (flags & Ipv6Flag) != 0, (flags & UpnpFlag) != 0, (flags & OpenPortFlag) != 0);
        return Enum.IsDefined(mapping) && Enum.IsDefined(filtering) && (value >> 24) == 0 && (flags & ~7u) == 0;
    }
}
