using System.Net;
using System.Security.Cryptography;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Client;

/// <summary>
/// Peer-to-peer messages. Every one names its introduction and is signed with MESSAGE-INTEGRITY-SHA256
/// keyed by the introduction secret, so only the introduced peer can punch, send or say goodbye.
/// </summary>
internal static class PeerMessages
{
    public static int WritePunchRequest(Span<byte> buffer, Guid introductionId, ReadOnlySpan<byte> secret, Span<byte> transactionId)
    {
        RandomNumberGenerator.Fill(transactionId);
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.Punch, StunClass.Request), transactionId);
        writer.AppendGuid(StunAttributeType.IntroductionId, introductionId);
        return Seal(ref writer, secret);
    }

    /// <summary>The answer tells the prober which address its punch arrived from, as STUN does.</summary>
    public static int WritePunchResponse(Span<byte> buffer, ReadOnlySpan<byte> transactionId, Guid introductionId, SocketAddress observed, ReadOnlySpan<byte> secret)
    {
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.Punch, StunClass.SuccessResponse), transactionId);
        writer.AppendGuid(StunAttributeType.IntroductionId, introductionId);
        writer.AppendXorAddress(StunAttributeType.XorMappedAddress, SocketAddressParts.GetAddressBytes(observed), SocketAddressParts.GetPort(observed));
        return Seal(ref writer, secret);
    }

    /// <summary>Data, keepalive or goodbye; <paramref name="sequence"/> (from 1, per link) lets the receiver refuse replays.</summary>
    public static int WriteIndication(Span<byte> buffer, ushort method, Guid introductionId, ulong sequence, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> secret)
    {
        Span<byte> transactionId = stackalloc byte[StunHeader.TransactionIdLength];
        RandomNumberGenerator.Fill(transactionId);
        var writer = new StunMessageWriter(buffer, new StunMessageType(method, StunClass.Indication), transactionId);
        writer.AppendGuid(StunAttributeType.IntroductionId, introductionId);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(writer.Append(StunAttributeType.Sequence, sizeof(ulong)), sequence);
        if (!payload.IsEmpty)
        {
            writer.Append(StunAttributeType.Payload, payload);
        }

        return Seal(ref writer, secret);
    }

    private static int Seal(ref StunMessageWriter writer, ReadOnlySpan<byte> secret)
    {
        writer.AppendMessageIntegritySha256(secret);
        writer.AppendFingerprint();
        return writer.Length;
    }
}
