using System.Buffers.Binary;

namespace Matchmaker.Protocol.Stun;

/// <summary>
/// A validated view over one STUN message (RFC 8489 §5–6). Parsing never throws: malformed input is
/// the normal case on a public port, so <see cref="TryParse"/> reports a status the caller must check.
/// </summary>
public readonly ref struct StunMessage
{
    private StunMessage(ReadOnlySpan<byte> buffer)
    {
        Buffer = buffer;
    }

    /// <summary>The whole message, header included.</summary>
    public ReadOnlySpan<byte> Buffer { get; }

    public StunMessageType Type => StunMessageType.Decode(BinaryPrimitives.ReadUInt16BigEndian(Buffer));

    public ReadOnlySpan<byte> TransactionId => Buffer.Slice(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength);

    public StunAttributeEnumerator Attributes => new(Buffer);

    public static StunParseStatus TryParse(ReadOnlySpan<byte> datagram, out StunMessage message)
    {
        message = default;
        if (datagram.Length < StunHeader.Length)
        {
            return StunParseStatus.TooShort;
        }

        if ((datagram[0] & 0xC0) != 0)
        {
            return StunParseStatus.NotStun;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != StunHeader.MagicCookie)
        {
            return StunParseStatus.BadMagicCookie;
        }

        var bodyLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((bodyLength & 3) != 0 || StunHeader.Length + bodyLength != datagram.Length)
        {
            return StunParseStatus.LengthMismatch;
        }

        var status = ValidateAttributes(datagram);
        if (status == StunParseStatus.Ok)
        {
            message = new StunMessage(datagram);
        }

        return status;
    }

    /// <summary>The first attribute of a type: RFC 8489 §14 says later duplicates are ignored.</summary>
    public bool TryGetAttribute(ushort type, out StunAttribute attribute)
    {
        foreach (var candidate in Attributes)
        {
            if (candidate.Type == type)
            {
                attribute = candidate;
                return true;
            }
        }

        attribute = default;
        return false;
    }

    public bool TryGetAttribute(ushort type, out ReadOnlySpan<byte> value)
    {
        if (TryGetAttribute(type, out StunAttribute attribute))
        {
            value = attribute.Value;
            return true;
        }

        value = default;
        return false;
    }

    public bool HasAttribute(ushort type) => TryGetAttribute(type, out StunAttribute _);

    private static StunParseStatus ValidateAttributes(ReadOnlySpan<byte> datagram)
    {
        var offset = StunHeader.Length;
        var sawFingerprint = false;
        while (offset < datagram.Length)
        {
            if (sawFingerprint)
            {
                return StunParseStatus.AttributeAfterFingerprint;
            }

            if (offset + StunAttributeLayout.HeaderLength > datagram.Length)
            {
                return StunParseStatus.MalformedAttribute;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            var next = offset + StunAttributeLayout.PaddedLength(length);
            if (next > datagram.Length)
            {
                return StunParseStatus.MalformedAttribute;
            }

            sawFingerprint = type == StunAttributeType.Fingerprint;
            offset = next;
        }

        return StunParseStatus.Ok;
    }
}
