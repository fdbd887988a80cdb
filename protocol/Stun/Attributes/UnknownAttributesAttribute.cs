using System.Buffers.Binary;

namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 §14.9): the comprehension-required types a 420 response refuses.</summary>
public static class UnknownAttributesAttribute
{
    public static void AppendUnknownAttributes(this ref StunMessageWriter writer, scoped ReadOnlySpan<ushort> types)
    {
        var value = writer.Append(StunAttributeType.UnknownAttributes, types.Length * 2);
        for (var i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[(i * 2)..], types[i]);
        }
    }

    public static int ReadUnknownAttributes(ReadOnlySpan<byte> value, Span<ushort> destination)
    {
        var count = Math.Min(value.Length / 2, destination.Length);
        for (var i = 0; i < count; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(value[(i * 2)..]);
        }

        return count;
    }
}
