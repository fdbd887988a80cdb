namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>The family byte of MAPPED-ADDRESS-style attributes (RFC 8489 §14.1).</summary>
internal static class AddressFamilyCodes
{
    public const byte IPv4 = 0x01;
    public const byte IPv6 = 0x02;

    public static int ValueLength(int addressLength) => 4 + addressLength;
}
