using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Gateway;

/// <summary>
/// This node's grain observer: turns pushes from grains into signed STUN requests sent from the socket
/// the player registered through, handed to the retransmitter until the player acknowledges.
/// </summary>
internal sealed class GatewayPushService(
    GatewayListeners listeners,
    GatewayKeys keys,
    PushRetransmitter retransmitter,
    HeartbeatLeases leases,
    TimeProvider clock,
    ILogger<GatewayPushService> logger) : IGatewayPush
{
    public Task IntroduceAsync(PushTarget target, Introduction introduction)
    {
        var message = new IntroductionMessage(
            introduction.IntroductionId,
            introduction.LobbyCode,
            introduction.Peer.PlayerId,
            introduction.Peer.PublicEndpoint,
            introduction.Peer.LanEndpoints,
            introduction.Peer.Capabilities,
            introduction.Secret,
            introduction.Method,
            introduction.ExpiresAt - clock.GetUtcNow(),
            introduction.PeerIsHost,
            introduction.Peer.Ipv6Endpoint,
            introduction.Peer.ListenEndpoint,
            introduction.Relay is { } relay ? new RelayTicket(RelayEndpointFor(relay, target), relay.Token, relay.Key) : null);
        Send(target, StunMethods.Introduction, (ref StunMessageWriter writer, ReadOnlySpan<byte> key) => message.Write(ref writer, key));
        return Task.CompletedTask;
    }

    public Task MatchedAsync(PushTarget target, string lobbyCode, ImmutableArray<Guid> players)
    {
        var message = new MatchedMessage(lobbyCode, players);
        Send(target, StunMethods.Matched, (ref StunMessageWriter writer, ReadOnlySpan<byte> _) => message.Write(ref writer));
        return Task.CompletedTask;
    }

    public Task StartMatchesAsync(ImmutableArray<MatchPush> matches)
    {
        foreach (var match in matches)
        {
            MatchedAsync(match.Target, match.LobbyCode, match.Players);
            foreach (var introduction in match.Introductions)
            {
                IntroduceAsync(match.Target, introduction);
            }
        }

        return Task.CompletedTask;
    }

    public Task LobbyClosedAsync(PushTarget target, string lobbyCode, string reason)
    {
        Send(target, StunMethods.LobbyClosed, (ref StunMessageWriter writer, ReadOnlySpan<byte> _) =>
        {
            writer.AppendString(StunAttributeType.LobbyCode, lobbyCode, 32);
            writer.AppendString(StunAttributeType.Reason, reason, 64);
        });
        return Task.CompletedTask;
    }

    public Task RelayLostAsync(PushTarget target, Guid introductionId)
    {
        Send(target, StunMethods.RelayLost, (ref StunMessageWriter writer, ReadOnlySpan<byte> _) => writer.AppendGuid(StunAttributeType.IntroductionId, introductionId));
        return Task.CompletedTask;
    }

    /// <summary>
    /// A relay listening on every interface (the embedded default) registers an unspecified address: it
    /// shares this host, so the address the player already reaches the gateway on reaches the relay too.
    /// </summary>
    private static IPEndPoint RelayEndpointFor(RelayPass relay, PushTarget target) =>
        relay.Endpoint.Address.Equals(IPAddress.Any) || relay.Endpoint.Address.Equals(IPAddress.IPv6Any)
            ? new IPEndPoint(target.GatewayEndpoint.Address, relay.Endpoint.Port)
            : relay.Endpoint;

    private void Send(PushTarget target, ushort method, BodyWriter body)
    {
        // Something happened to the player (introduced, matched, its lobby closed): its next heartbeats go to its grain.
        leases.Drop(target.PlayerId);
        var socket = listeners.Find(target.GatewayEndpoint);
        if (socket is null)
        {
            GatewayLog.UnknownPushSocket(logger, target.GatewayEndpoint);
            return;
        }

        Span<byte> key = stackalloc byte[GatewayKeys.PlayerKeyLength];
        keys.DerivePlayerKey(target.PlayerId, key);
        Span<byte> transactionId = stackalloc byte[StunHeader.TransactionIdLength];
        RandomNumberGenerator.Fill(transactionId);
        var buffer = new byte[ProtocolLimits.MaxDatagram];
        var writer = new StunMessageWriter(buffer, new StunMessageType(method, StunClass.Request), transactionId);
        body(ref writer, key);
        writer.AppendMessageIntegritySha256(key);
        writer.AppendFingerprint();
        retransmitter.Send(socket, target.PlayerEndpoint, buffer[..writer.Length]);
    }

    private delegate void BodyWriter(ref StunMessageWriter writer, ReadOnlySpan<byte> key);
}
