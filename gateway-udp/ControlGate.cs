using System.Collections.Immutable;
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
internal sealed class ControlGate(GatewayKeys keys, GatewayOptions options, GatewayMetrics metrics, TimeProvider clock)
{
    public ControlRequest? Admit(GatewaySocket socket, StunMessage request, SocketAddress source, Span<byte> sendBuffer)
    {
        var method = request.Type.Method;
        var type = PacketTypes.ForMethod(method);
        var now = (uint)clock.GetUtcNow().ToUnixTimeSeconds();
        bool isNewPlayer;
        Guid playerId;
        if (method == StunMethods.Register)
        {
            if (!request.TryGetAttribute(StunAttributeType.Nonce, out ReadOnlySpan<byte> cookie)
                || !keys.CookieIsValid(cookie, source, now, (uint)options.CookieLifetime.TotalSeconds))
            {
                Challenge(socket, request, source, sendBuffer, now);
                metrics.Count(type, PacketResult.Challenged);
                return null;
            }

            // A returning player re-registers under its id by proving its key; anyone else gets a new id,
            // derived from cookie and transaction so a retransmitted Register names the same player.
            isNewPlayer = !(request.TryGetGuid(StunAttributeType.PlayerId, out playerId) && HasValidIntegrity(request, playerId));
            if (isNewPlayer)
            {
                playerId = keys.DeriveNewPlayerId(cookie, request.TransactionId);
            }
        }
        else if (request.TryGetGuid(StunAttributeType.PlayerId, out playerId) && HasValidIntegrity(request, playerId))
        {
            isNewPlayer = false;
        }
        else
        {
            RefuseUnauthenticated(socket, request, source, sendBuffer);
            metrics.Count(type, PacketResult.Unauthenticated);
            return null;
        }

        var decoded = Decode(request, method, playerId, isNewPlayer, socket, source);
        if (decoded is null)
        {
            Span<byte> key = stackalloc byte[GatewayKeys.PlayerKeyLength];
            keys.DerivePlayerKey(playerId, key);
            var writer = SignedReply.Error(sendBuffer, method, request.TransactionId, ProtocolErrors.BadRequest);
            SignedReply.SignAndSend(ref writer, key, socket, source);
            metrics.Count(type, PacketResult.Error);
        }

        return decoded;
    }

    private bool HasValidIntegrity(StunMessage request, Guid playerId)
    {
        Span<byte> key = stackalloc byte[GatewayKeys.PlayerKeyLength];
        keys.DerivePlayerKey(playerId, key);
        return request.HasValidMessageIntegritySha256(key);
    }

    private void Challenge(GatewaySocket socket, StunMessage request, SocketAddress source, Span<byte> sendBuffer, uint now)
    {
        var budget = ReplyBudget.ForUnproven(request.Buffer.Length, sendBuffer.Length);
        var error = ProtocolErrors.Unauthenticated;
        var needed = StunHeader.Length
            + StunAttributeLayout.PaddedLength(ErrorCodeAttribute.ValueLength(error.Slug))
            + StunAttributeLayout.PaddedLength(GatewayKeys.CookieLength)
            + StunAttributeLayout.PaddedLength(FingerprintAttribute.ValueLength);
        if (needed > budget)
        {
            metrics.Count(PacketTypes.ForMethod(request.Type.Method), PacketResult.AmplificationDropped);
            return;
        }

        var writer = new StunMessageWriter(sendBuffer[..budget], new StunMessageType(request.Type.Method, StunClass.ErrorResponse), request.TransactionId);
        writer.AppendErrorCode(error.Code, error.Slug);
        keys.WriteCookie(source, now, writer.Append(StunAttributeType.Nonce, GatewayKeys.CookieLength));
        writer.AppendFingerprint();
        socket.Send(writer.Written, source);
    }

    private void RefuseUnauthenticated(GatewaySocket socket, StunMessage request, SocketAddress source, Span<byte> sendBuffer)
    {
        var budget = ReplyBudget.ForUnproven(request.Buffer.Length, sendBuffer.Length);
        var error = ProtocolErrors.Unauthenticated;
        var needed = StunHeader.Length + StunAttributeLayout.PaddedLength(ErrorCodeAttribute.ValueLength(error.Slug));
        if (needed > budget)
        {
            metrics.Count(PacketTypes.ForMethod(request.Type.Method), PacketResult.AmplificationDropped);
            return;
        }

        var writer = new StunMessageWriter(sendBuffer[..budget], new StunMessageType(request.Type.Method, StunClass.ErrorResponse), request.TransactionId);
        writer.AppendErrorCode(error.Code, error.Slug);
        socket.Send(writer.Written, source);
    }

    private static ControlRequest? Decode(StunMessage request, ushort method, Guid playerId, bool isNewPlayer, GatewaySocket socket, SocketAddress source)
    {
        var lan = ImmutableArray<IPEndPoint>.Empty;
        var capabilities = NatCapabilities.Unknown;
        IPEndPoint? ipv6 = null;
        IPEndPoint? listen = null;
        string? name = null;
        var maxPlayers = 0;
        string? code = null;
        PunchReportMessage? report = null;
        switch (method)
        {
            case StunMethods.Register or StunMethods.Heartbeat:
                if (!TryDecodePresence(request, out lan, out capabilities)
                    || !TryDecodeReachability(request, SocketAddressParts.ToEndPoint(source), out ipv6, out listen)
                    || !TryDecodeClaim(request, out code, out name, out maxPlayers))
                {
                    return null;
                }

                break;
            case StunMethods.Host:
                if (!request.TryGetString(StunAttributeType.LobbyName, ProtocolLimits.MaxLobbyNameBytes, out var lobbyName)
                    || !request.TryGetUInt32(StunAttributeType.MaxPlayers, out var max))
                {
                    return null;
                }

                name = lobbyName;
                maxPlayers = (int)Math.Min(max, int.MaxValue);
                break;
            case StunMethods.Join:
                if (!request.TryGetString(StunAttributeType.LobbyCode, 32, out var joinCode))
                {
                    return null;
                }

                code = joinCode;
                break;
            case StunMethods.PunchReport:
                // Out-of-range values would become metric tags: refuse the report rather than count it.
                if (!PunchReportMessage.TryRead(request, out report))
                {
                    return null;
                }

                break;
            case StunMethods.Queue:
                return DecodeQueue(request, playerId, isNewPlayer, socket, source);
        }

        return new ControlRequest(
            method, request.TransactionId.ToArray(), playerId, isNewPlayer, SocketAddressParts.ToEndPoint(source), socket,
            lan, capabilities, name, maxPlayers, code, ipv6, listen, PunchReport: report);
    }

    /// <summary>
    /// The optional IPv6 and listen endpoints. An IPv6 endpoint must be a global IPv6 address. A listen
    /// endpoint (UPnP mapping, open port) must sit on the very address this request came from: peers are
    /// told to send to it, and nobody may point them at a third party. One on another address (the
    /// player's IGD sits behind a second NAT, or the public address changed) is dropped, not stored,
    /// and the rest of the presence still counts.
    /// </summary>
    private static bool TryDecodeReachability(StunMessage request, IPEndPoint source, out IPEndPoint? ipv6, out IPEndPoint? listen)
    {
        ipv6 = null;
        listen = null;
        if (request.HasAttribute(StunAttributeType.Ipv6Endpoint))
        {
            if (!request.TryGetXorAddress(StunAttributeType.Ipv6Endpoint, out var v6)
                || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6
                || v6.Address.IsIPv4MappedToIPv6 || v6.Address.IsIPv6LinkLocal || v6.Port == 0)
            {
                return false;
            }

            ipv6 = v6;
        }

        if (request.HasAttribute(StunAttributeType.ListenEndpoint))
        {
            if (!request.TryGetXorAddress(StunAttributeType.ListenEndpoint, out var open) || open.Port == 0)
            {
                return false;
            }

            listen = open.Address.Equals(source.Address) ? open : null;
        }

        return true;
    }

    /// <summary>Mode and size are required; a region is optional (absent: any region). Names are checked by the grain.</summary>
    private static ControlRequest? DecodeQueue(StunMessage request, Guid playerId, bool isNewPlayer, GatewaySocket socket, SocketAddress source)
    {
        if (!request.TryGetString(StunAttributeType.QueueMode, QueueNames.MaxLength, out var mode)
            || !request.TryGetUInt32(StunAttributeType.QueueSize, out var size))
        {
            return null;
        }

        string? region = null;
        if (request.HasAttribute(StunAttributeType.QueueRegion))
        {
            if (!request.TryGetString(StunAttributeType.QueueRegion, QueueNames.MaxLength, out var named))
            {
                return null;
            }

            region = named;
        }

        return new ControlRequest(
            StunMethods.Queue, request.TransactionId.ToArray(), playerId, isNewPlayer, SocketAddressParts.ToEndPoint(source), socket,
            [], NatCapabilities.Unknown, null, 0, null, QueueMode: mode, QueueSize: (int)Math.Min(size, int.MaxValue), QueueRegion: region);
    }

    /// <summary>
    /// The lobby a heartbeat restates: LOBBY-CODE alone for a member, with LOBBY-NAME and MAX-PLAYERS for its
    /// host. Absent is fine; present but malformed makes the whole request malformed.
    /// </summary>
    private static bool TryDecodeClaim(StunMessage request, out string? code, out string? name, out int maxPlayers)
    {
        code = null;
        name = null;
        maxPlayers = 0;
        if (!request.HasAttribute(StunAttributeType.LobbyCode))
        {
            return true;
        }

        if (!request.TryGetString(StunAttributeType.LobbyCode, 32, out var claimed) || !LobbyCode.TryNormalize(claimed, out var normalized))
        {
            return false;
        }

        code = normalized;
        if (!request.HasAttribute(StunAttributeType.LobbyName))
        {
            return true;
        }

        if (!request.TryGetString(StunAttributeType.LobbyName, ProtocolLimits.MaxLobbyNameBytes, out var hostedName) || !request.TryGetUInt32(StunAttributeType.MaxPlayers, out var max))
        {
            return false;
        }

        name = hostedName;
        maxPlayers = (int)Math.Min(max, int.MaxValue);
        return true;
    }

    private static bool TryDecodePresence(StunMessage request, out ImmutableArray<IPEndPoint> lan, out NatCapabilities capabilities)
    {
        lan = [];
        capabilities = NatCapabilities.Unknown;
        if (request.TryGetUInt32(StunAttributeType.NatCapabilities, out var encoded) && !NatCapabilities.TryDecode(encoded, out capabilities))
        {
            return false;
        }

        var builder = ImmutableArray.CreateBuilder<IPEndPoint>();
        foreach (var attribute in request.Attributes)
        {
            if (attribute.Type != StunAttributeType.LanEndpoint)
            {
                continue;
            }

            if (builder.Count == ProtocolLimits.MaxLanEndpoints || !XorAddressAttribute.TryReadXorAddress(attribute.Value, request.TransactionId, out var endpoint))
            {
                return false;
            }

            builder.Add(endpoint);
        }

        lan = builder.ToImmutable();
        return true;
    }
}
