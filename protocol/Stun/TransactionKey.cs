using System.Buffers.Binary;

namespace Matchmaker.Protocol.Stun;

/// <summary>A 96-bit STUN transaction id as a dictionary key, without allocating.</summary>
public readonly record struct TransactionKey(ulong High, uint Low)
{
    public static TransactionKey From(ReadOnlySpan<byte> transactionId) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(transactionId), BinaryPrimitives.ReadUInt32BigEndian(transactionId[8..]));
}
