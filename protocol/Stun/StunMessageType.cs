namespace Matchmaker.Protocol.Stun;

/// <summary>
/// A STUN message type: a 12-bit method interleaved with two class bits (RFC 8489 §5, figure 3).
/// </summary>
public readonly record struct StunMessageType(ushort Method, StunClass Class)
{
    public const ushort MaxMethod = 0x0FFF;

    public ushort Encode()
    {
        var m = Method;
        var c = (int)Class;
        return (ushort)((m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 0b01) << 4) | ((c & 0b10) << 7));
    }

    public static StunMessageType Decode(ushort value)
    {
        var method = (ushort)((value & 0x000F) | ((value & 0x00E0) >> 1) | ((value & 0x3E00) >> 2));
        var cls = (StunClass)(((value >> 4) & 0b01) | ((value >> 7) & 0b10));
        return new StunMessageType(method, cls);
    }

    public StunMessageType WithClass(StunClass cls) => this with { Class = cls };

    public override string ToString() => $"0x{Method:X3}/{Class}";
}
