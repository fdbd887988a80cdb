using System.Buffers.Binary;

namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>
/// RESPONSE-PORT (RFC 5780 §7.5): send the answer to this port at the request's source IP. RFC 5780
/// clients use it to test filtering from a second socket; the value is the port plus two reserved bytes.
/// </summary>
public static class ResponsePortAttribute
{
    public static void AppendResponsePort(this ref StunMessageWriter writer, ushort port)
    {
        var value = writer.Append(StunAttributeType.ResponsePort, 4);
        BinaryPrimitives.WriteUInt16BigEndian(value, port);
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], 0);
    }

    /// <summary>False when present but malformed (or naming port 0); <paramref name="port"/> is 0 when absent.</summary>
    public static bool TryGetResponsePort(this StunMessage message, out ushort port)
    {
        port = 0;
        if (!message.TryGetAttribute(StunAttributeType.ResponsePort, out ReadOnlySpan<byte> value))
        {
            return true;
        }

        if (value.Length != 4)
        {
            return false;
        }

        port = BinaryPrimitives.ReadUInt16BigEndian(value);
        return port != 0;
    }
}
