namespace Matchmaker.Protocol.Stun;

/// <summary>One TLV attribute inside a parsed message; <see cref="Offset"/> is where its 4-byte header starts.</summary>
public readonly ref struct StunAttribute(ushort type, ReadOnlySpan<byte> value, int offset)
{
    public ushort Type { get; } = type;

    public ReadOnlySpan<byte> Value { get; } = value;

    public int Offset { get; } = offset;

    /// <summary>Header plus value plus padding to the next 4-byte boundary (RFC 8489 §14).</summary>
    public int PaddedLength => StunAttributeLayout.PaddedLength(Value.Length);
}
