using System.Buffers.Binary;

namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>CHANGE-REQUEST (RFC 5780 §7.2): ask the server to answer from its other IP and/or port.</summary>
public static class ChangeRequestAttribute
{
    public const uint ChangeIp = 0x4;
    public const uint ChangePort = 0x2;

    public static void AppendChangeRequest(this ref StunMessageWriter writer, bool changeIp, bool changePort) =>
        BinaryPrimitives.WriteUInt32BigEndian(
            writer.Append(StunAttributeType.ChangeRequest, 4),
            (changeIp ? ChangeIp : 0) | (changePort ? ChangePort : 0));

    /// <summary>False when the attribute is present but malformed; flags are false when it is absent.</summary>
    public static bool TryGetChangeRequest(this StunMessage message, out bool changeIp, out bool changePort)
    {
        changeIp = changePort = false;
        if (!message.TryGetAttribute(StunAttributeType.ChangeRequest, out ReadOnlySpan<byte> value))
        {
            return true;
        }

        if (value.Length != 4)
        {
            return false;
        }

        var flags = BinaryPrimitives.ReadUInt32BigEndian(value);
        changeIp = (flags & ChangeIp) != 0;
        changePort = (flags & ChangePort) != 0;
        return true;
    }
}
