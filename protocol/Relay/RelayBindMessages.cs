using System.Security.Cryptography;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Protocol.Relay;

/// <summary>
/// The bind exchange (method 0x820). Request: RELAY-TOKEN, MESSAGE-INTEGRITY-SHA256 under the token's
/// key, FINGERPRINT. Success: RELAY-HANDLE, XOR-MAPPED-ADDRESS (the source the node bound), LIFETIME
/// (milliseconds left), signed with the same key so the client knows the node, not a spoofer, answered.
/// Errors carry ERROR-CODE and are signed too. Every answer is no larger than the request that caused it.
/// </summary>
public static class RelayBindMessages
{
    public static int WriteRequest(Span<byte> buffer, ReadOnlySpan<byte> token, ReadOnlySpan<byte> key, Span<byte> transactionId)
    {
        RandomNumberGenerator.Fill(transactionId);
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.RelayBind, StunClass.Request), transactionId);
        writer.Append(StunAttributeType.RelayToken, token);
        writer.AppendMessageIntegritySha256(key);
        writer.AppendFingerprint();
        return writer.Length;
    }

    public static int WriteSuccess(Span<byte> buffer, ReadOnlySpan<byte> transactionId, uint handle, ReadOnlySpan<byte> mappedAddress, ushort mappedPort, uint lifetimeMs, ReadOnlySpan<byte> key)
    {
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.RelayBind, StunClass.SuccessResponse), transactionId);
        writer.AppendUInt32(StunAttributeType.RelayHandle, handle);
        writer.AppendXorAddress(StunAttributeType.XorMappedAddress, mappedAddress, mappedPort);
        writer.AppendUInt32(StunAttributeType.Lifetime, lifetimeMs);
        writer.AppendMessageIntegritySha256(key);
        writer.AppendFingerprint();
        return writer.Length;
    }

    public static int WriteError(Span<byte> buffer, ReadOnlySpan<byte> transactionId, ProtocolError error, ReadOnlySpan<byte> key)
    {
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.RelayBind, StunClass.ErrorResponse), transactionId);
        writer.AppendErrorCode(error.Code, error.Slug);
        writer.AppendMessageIntegritySha256(key);
        writer.AppendFingerprint();
        return writer.Length;
    }
}
