using System.Net;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Gateway;

/// <summary>
/// Stateless admission for control messages, run on the receive thread: a Register must echo an
/// address cookie, every other request must carry the player's MESSAGE-INTEGRITY-SHA256. Anything
/// else gets a small unsigned answer within the amplification budget and never reaches a grain.
/// </summary>
internal sealed class ControlGate(GatewayKeys keys, GatewayOptions options, GatewayMetrics metrics, GatewayRateLimits limits, TimeProvider clock)
{
    public ControlRequest? Admit(GatewaySocket socket, StunMessage request, SocketAddress source, Span<byte> sendBuffer)
    {
        var method = request.Type.Method;
        var type = PacketTypes.ForMethod(method);
        var now = (uint)clock.GetUtcNow().ToUnixTimeSeconds();
        bool isNewPlayer;
        Guid playerId;
        var key = default(PlayerKey);
        if (method == StunMethods.Register)
        {
            if (!request.TryGetAttribute(StunAttributeType.Nonce, out ReadOnlySpan<byte> cookie)
                || !keys.CookieIsValid(cookie, source, now, (uint)options.CookieLifetime.TotalSeconds))
            {
                metrics.Count(type, Challenge(socket, request, source, sendBuffer, now));
                return null;
            }

            // A returning player re-registers under its id by proving its key; anyone else gets a new id,
            // derived from cookie and transaction so a retransmitted Register names the same player.
            isNewPlayer = !(request.TryGetGuid(StunAttributeType.PlayerId, out playerId) && HasValidIntegrity(request, playerId, key));
            if (isNewPlayer)
            {
                playerId = keys.DeriveNewPlayerId(cookie, request.TransactionId);
                keys.DerivePlayerKey(playerId, key);
            }
        }
        else if (request.TryGetGuid(StunAttributeType.PlayerId, out playerId) && HasValidIntegrity(request, playerId, key))
        {
            isNewPlayer = false;
        }
        else
        {
            metrics.Count(type, RefuseUnauthenticated(socket, request, source, sendBuffer));
            return null;
        }

        // Proven from here on. Quotas come before decoding, so a flood costs a MAC check and no more.
        if (!limits.AllowRequest(playerId) || (method == StunMethods.Join && limits.JoinsBlocked(source)))
        {
            RefuseSigned(socket, request, source, sendBuffer, key, ProtocolErrors.RateLimited);
            metrics.Count(type, PacketResult.RateLimited);
            return null;
        }

        var decoded = Decode(request, method, playerId, key, isNewPlayer, socket, source);
        if (decoded is null)
        {
            metrics.Count(type, PacketResult.Error);
            RefuseSigned(socket, request, source, sendBuffer, key, ProtocolErrors.BadRequest);
            return null;
        }

        if (method == StunMethods.Queue && !QueueRequests.IsValid(decoded.QueueMode, decoded.QueueSize, decoded.QueueRegion))
        {
            // Well-formed, but no queue holds such a ticket: refused here, so it costs no grain call. Counted
            // before the answer leaves, as every reply is: its receiver may read the count at once.
            metrics.Count(type, PacketResult.Error);
            RefuseSigned(socket, request, source, sendBuffer, key, ProtocolErrors.InvalidQueueSpec);
            return null;
        }

        return decoded;
    }

    private void RefuseSigned(GatewaySocket socket, StunMessage request, SocketAddress source, Span<byte> sendBuffer, scoped ReadOnlySpan<byte> key, ProtocolError error)
    {
        if (!limits.AllowErrorReply(source))
        {
            return;
        }

        var writer = SignedReply.Error(sendBuffer, request.Type.Method, request.TransactionId, error);
        SignedReply.SignAndSend(ref writer, key, socket, source);
    }

    /// <summary>Derives the claimed player's key into <paramref name="key"/> and checks the request's MAC with it.</summary>
    private bool HasValidIntegrity(StunMessage request, Guid playerId, scoped Span<byte> key)
    {
        keys.DerivePlayerKey(playerId, key);
        return request.HasValidMessageIntegritySha256(key);
    }

    private PacketResult Challenge(GatewaySocket socket, StunMessage request, SocketAddress source, Span<byte> sendBuffer, uint now)
    {
        var budget = ReplyBudget.ForUnproven(request.Buffer.Length, sendBuffer.Length);
        var error = ProtocolErrors.Unauthenticated;
        var needed = StunHeader.Length
            + StunAttributeLayout.PaddedLength(ErrorCodeAttribute.ValueLength(error.Slug))
            + StunAttributeLayout.PaddedLength(GatewayKeys.CookieLength)
            + StunAttributeLayout.PaddedLength(FingerprintAttribute.ValueLength);
        if (needed > budget)
        {
            return PacketResult.AmplificationDropped;
        }

        if (!limits.AllowErrorReply(source))
        {
            return PacketResult.RateLimited;
        }

        var writer = new StunMessageWriter(sendBuffer[..budget], new StunMessageType(request.Type.Method, StunClass.ErrorResponse), request.TransactionId);
        writer.AppendErrorCode(error.Code, error.Slug);
        keys.WriteCookie(source, now, writer.Append(StunAttributeType.Nonce, GatewayKeys.CookieLength));
        writer.AppendFingerprint();
        socket.Send(writer.Written, source);
        return PacketResult.Challenged;
    }

    private PacketResult RefuseUnauthenticated(GatewaySocket socket, StunMessage request, SocketAddress source, Span<byte> sendBuffer)
    {
        var budget = ReplyBudget.ForUnproven(request.Buffer.Length, sendBuffer.Length);
        var error = ProtocolErrors.Unauthenticated;
        var needed = StunHeader.Length + StunAttributeLayout.PaddedLength(ErrorCodeAttribute.ValueLength(error.Slug));
        if (needed > budget)
        {
            return PacketResult.AmplificationDropped;
        }

        if (!limits.AllowErrorReply(source))
        {
            return PacketResult.RateLimited;
        }

        var writer = new StunMessageWriter(sendBuffer[..budget], new StunMessageType(request.Type.Method, StunClass.ErrorResponse), request.TransactionId);
        writer.AppendErrorCode(error.Code, error.Slug);
        socket.Send(writer.Written, source);
        return PacketResult.Unauthenticated;
    }

    private static ControlRequest? Decode(StunMessage request, ushort method, Guid playerId, in PlayerKey key, bool isNewPlayer, GatewaySocket socket, SocketAddress source)
    {
        var from = SocketAddressParts.ToEndPoint(source);
        return ControlRequestBody.TryDecode(request, from, out var body)
            ? new ControlRequest(
                method, request.TransactionId.ToArray(), playerId, key, isNewPlayer, from, socket,
                body.LanEndpoints, body.Capabilities, body.LobbyName, body.MaxPlayers, body.LobbyCode,
                body.Ipv6Endpoint, body.ListenEndpoint, body.QueueMode, body.QueueSize, body.QueueRegion, body.PunchReport)
            : null;
    }
}
