namespace Matchmaker.Protocol.Stun;

/// <summary>Sizes of the TLV encoding (RFC 8489 §14): 4-byte header, value padded to 32 bits.</summary>
public static class StunAttributeLayout
{
    public const int HeaderLength = 4;

    public static int Pad(int valueLength) => (valueLength + 3) & ~3;

    public static int PaddedLength(int valueLength) => HeaderLength + Pad(valueLength);
}
