using System.Buffers.Binary;

namespace Matchmaker.Protocol.Stun;

/// <summary>
/// Builds a STUN message in a caller-owned buffer. The header length is kept current after every
/// attribute, so integrity and fingerprint attributes can be computed at any point (RFC 8489 §14.5–14.7).
/// </summary>
public ref struct StunMessageWriter
{
    private readonly Span<byte> _buffer;

    public StunMessageWriter(Span<byte> buffer, StunMessageType type, ReadOnlySpan<byte> transactionId)
    {
        if (transactionId.Length != StunHeader.TransactionIdLength)
        {
            throw new ArgumentException("A STUN transaction id is 12 bytes.", nameof(transactionId));
        }

        _buffer = buffer;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, type.Encode());
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunHeader.MagicCookie);
        transactionId.CopyTo(buffer[StunHeader.TransactionIdOffset..]);
        Length = StunHeader.Length;
    }

    public int Length { get; private set; }

    public readonly int Capacity => _buffer.Length;

    public readonly ReadOnlySpan<byte> Written => _buffer[..Length];

    public readonly ReadOnlySpan<byte> TransactionId => _buffer.Slice(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength);

    /// <summary>Appends an attribute header and zeroed padding, and returns the value area to fill.</summary>
    public Span<byte> Append(ushort type, int valueLength)
    {
        var total = StunAttributeLayout.PaddedLength(valueLength);
        var slot = _buffer.Slice(Length, total);
        BinaryPrimitives.WriteUInt16BigEndian(slot, type);
        BinaryPrimitives.WriteUInt16BigEndian(slot[2..], (ushort)valueLength);
        slot[(StunAttributeLayout.HeaderLength + valueLength)..].Clear();
        Length += total;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(Length - StunHeader.Length));
        return slot.Slice(StunAttributeLayout.HeaderLength, valueLength);
    }

    public void Append(ushort type, scoped ReadOnlySpan<byte> value) => value.CopyTo(Append(type, value.Length));

    public readonly bool Fits(int valueLength) => Length + StunAttributeLayout.PaddedLength(valueLength) <= _buffer.Length;
}
