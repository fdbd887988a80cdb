using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>Plain fixed-width and text values for Matchmaker's own attributes (RFC 8489 §14 TLV rules).</summary>
public static class ScalarAttributes
{
    public static void AppendUInt32(this ref StunMessageWriter writer, ushort type, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(writer.Append(type, 4), value);

    public static void AppendByte(this ref StunMessageWriter writer, ushort type, byte value) =>
        writer.Append(type, 1)[0] = value;

    public static void AppendGuid(this ref StunMessageWriter writer, ushort type, Guid value) =>
        value.TryWriteBytes(writer.Append(type, 16), bigEndian: true, out _);

    public static void AppendString(this ref StunMessageWriter writer, ushort type, string value, int maxBytes)
    {
        Span<byte> bytes = stackalloc byte[maxBytes * 4];
        var written = Encoding.UTF8.GetBytes(value, bytes);
        if (written > maxBytes)
        {
            throw new ArgumentException($"Attribute 0x{type:X4} is limited to {maxBytes} UTF-8 bytes.", nameof(value));
        }

        writer.Append(type, bytes[..written]);
    }

    public static bool TryGetUInt32(this StunMessage message, ushort type, out uint value)
    {
        value = 0;
        if (!message.TryGetAttribute(type, out ReadOnlySpan<byte> bytes) || bytes.Length != 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return true;
    }

    public static bool TryGetByte(this StunMessage message, ushort type, out byte value)
    {
        value = 0;
        if (!message.TryGetAttribute(type, out ReadOnlySpan<byte> bytes) || bytes.Length != 1)
        {
            return false;
        }

        value = bytes[0];
        return true;
    }

    public static bool TryGetGuid(this StunMessage message, ushort type, out Guid value)
    {
        value = Guid.Empty;
        if (!message.TryGetAttribute(type, out ReadOnlySpan<byte> bytes) || bytes.Length != 16)
        {
            return false;
        }

        value = new Guid(bytes, bigEndian: true);
        return true;
    }

    /// <summary>Rejects invalid UTF-8 rather than silently replacing it.</summary>
    public static bool TryGetString(this StunMessage message, ushort type, int maxBytes, out string value)
    {
        value = string.Empty;
        if (!message.TryGetAttribute(type, out ReadOnlySpan<byte> bytes) || bytes.Length > maxBytes || !Utf8.IsValid(bytes))
        {
            return false;
        }

        value = Encoding.UTF8.GetString(bytes);
        return true;
    }
}
