using System.Net;
using System.Net.Sockets;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Relay;

/// <summary>
/// Every datagram the relay receives, on the receive thread. A data frame (first byte 0x4D) is forwarded
/// in place — handle rewritten, payload untouched, nothing allocated. Anything else must be a bind: STUN,
/// a well-formed token and MESSAGE-INTEGRITY-SHA256 under the token's key, from an address the relay may
/// forward to. Unproven or misdirected input is dropped and counted without an answer, so the relay never
/// talks to a host that has not proved a token; answers to proven binds are smaller than the bind.
/// </summary>
internal sealed class RelayForwarder(RelayOptions options, RelayAllocationTable table, RelayMetrics metrics, RelaySecret secret)
{
    public void Handle(Socket socket, Span<byte> datagram, SocketAddress source, Span<byte> sendBuffer)
    {
        if (RelayFrame.TryRead(datagram, out var handle, out var payload))
        {
            var refused = table.Forward(handle, source, payload.Length, out var destination, out var destinationHandle);
            if (refused is { } reason)
            {
                metrics.Dropped(reason);
                return;
            }

            RelayFrame.RewriteHandle(datagram, destinationHandle);
            socket.SendTo(datagram, SocketFlags.None, destination!);
            metrics.Forwarded(payload.Length);
            return;
        }

        Bind(socket, datagram, source, sendBuffer);
    }

    private void Bind(Socket socket, ReadOnlySpan<byte> datagram, SocketAddress source, Span<byte> sendBuffer)
    {
        if (StunMessage.TryParse(datagram, out var message) != StunParseStatus.Ok
            || !message.FingerprintIsValidOrAbsent()
            || message.Type != new StunMessageType(StunMethods.RelayBind, StunClass.Request)
            || !message.TryGetAttribute(StunAttributeType.RelayToken, out ReadOnlySpan<byte> tokenBytes)
            || !RelayToken.TryRead(tokenBytes, out var token))
        {
            metrics.Dropped(RelayDropReason.Malformed);
            return;
        }

        Span<byte> key = stackalloc byte[RelayToken.KeyLength];
        RelayToken.DeriveKey(secret.Value, tokenBytes, key);
        if (!message.HasValidMessageIntegritySha256(key))
        {
            metrics.Dropped(RelayDropReason.Unauthenticated);
            return;
        }

        var address = SocketAddressParts.GetAddressBytes(source);
        if (!RelayAddressFilter.MayForward(new IPAddress(address), options))
        {
            metrics.Dropped(RelayDropReason.ForbiddenAddress);
            return;
        }

        var result = table.Bind(token, source);
        int length;
        switch (result.Refused)
        {
            case null:
                var lifetimeMs = (uint)Math.Clamp(result.Remaining.TotalMilliseconds, 0, uint.MaxValue);
                length = RelayBindMessages.WriteSuccess(sendBuffer, message.TransactionId, result.Handle, address, SocketAddressParts.GetPort(source), lifetimeMs, key);
                break;
            case RelayDropReason.WrongSource:
                // A valid bind from a second IP is a replay: say nothing to the host that sent it.
                metrics.Dropped(RelayDropReason.WrongSource);
                return;
            case { } reason:
                metrics.Dropped(reason);
                length = RelayBindMessages.WriteError(sendBuffer, message.TransactionId, ErrorFor(reason), key);
                break;
        }

        if (length <= datagram.Length * ProtocolLimits.AmplificationFactor)
        {
            socket.SendTo(sendBuffer[..length], SocketFlags.None, source);
        }
    }

    private static ProtocolError ErrorFor(RelayDropReason reason) => reason switch
    {
        RelayDropReason.Expired => RelayErrors.Expired,
        RelayDropReason.NodeFull => RelayErrors.NodeFull,
        RelayDropReason.PlayerQuota => RelayErrors.PlayerQuota,
        _ => ProtocolErrors.BadRequest,
    };
}
