using System.Buffers.Binary;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Fuzz;

/// <summary>
/// Rebuilds fuzz input as a message that carries a valid MESSAGE-INTEGRITY-SHA256 and FINGERPRINT under
/// a key the harness knows. A fuzzer cannot forge an HMAC, so without this every mutation would stop at
/// the integrity check and the decoders behind it would never run. Header type and transaction id come
/// from the input; its attribute area is walked leniently (a truncated tail is dropped) and re-emitted.
/// </summary>
internal static class Resealer
{
    public delegate bool KeyFor(StunMessage unsigned, Span<byte> key);

    /// <summary>Returns the resealed length, or 0 when the input has no header to keep.</summary>
    public static int Reseal(ReadOnlySpan<byte> input, Span<byte> output, KeyFor keyFor)
    {
        if (input.Length < StunHeader.Length)
        {
            return 0;
        }

        var type = StunMessageType.Decode((ushort)(BinaryPrimitives.ReadUInt16BigEndian(input) & 0x3FFF));
        var writer = new StunMessageWriter(output[..ProtocolLimits.MaxDatagram], type, input.Slice(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength));
        var reserve = StunAttributeLayout.PaddedLength(32) + StunAttributeLayout.PaddedLength(FingerprintAttribute.ValueLength);
        var offset = StunHeader.Length;
        while (offset + StunAttributeLayout.HeaderLength <= input.Length)
        {
            var attributeType = BinaryPrimitives.ReadUInt16BigEndian(input[offset..]);
            var length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(input[(offset + 2)..]), input.Length - offset - StunAttributeLayout.HeaderLength);
            if (attributeType is StunAttributeType.MessageIntegritySha256 or StunAttributeType.Fingerprint
                || !writer.Fits(length + reserve))
            {
                break;
            }

            writer.Append(attributeType, input.Slice(offset + StunAttributeLayout.HeaderLength, length));
            offset += StunAttributeLayout.PaddedLength(length);
        }

        // The key may depend on what the message says (a player's key is derived from its id).
        Span<byte> key = stackalloc byte[32];
        if (StunMessage.TryParse(writer.Written, out var unsigned) != StunParseStatus.Ok || !keyFor(unsigned, key))
        {
            return 0;
        }

        writer.AppendMessageIntegritySha256(key);
        writer.AppendFingerprint();
        return writer.Length;
    }
}
