using System.Net.Sockets;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Stun;

namespace Matchmaker.Gateway;

/// <summary>
/// This node's <see cref="IGatewayPeer"/> observer: answers change-IP probes that a one-IP peer gateway
/// received, from this node's own socket, with the very Binding response the peer would have sent.
/// Only cluster members hold the reference, and the answer never exceeds the budget the peer computed
/// from the client's request, so nothing here widens the gateway's reflection surface.
/// </summary>
internal sealed class PeerChangeRequestService(GatewayListeners listeners, GatewayMetrics metrics) : IGatewayPeer
{
    public Task AnswerChangeRequestAsync(PeerChangeRequest request)
    {
        var socket = listeners.Find(request.Origin);
        if (socket is null
            || request.TransactionId.Length != StunHeader.TransactionIdLength
            || request.MaxLength is < StunHeader.Length or > 1500
            || request.Destination.AddressFamily != socket.LocalEndPoint.AddressFamily)
        {
            metrics.CountPeerChangeRequest("refused");
            return Task.CompletedTask;
        }

        Span<byte> buffer = stackalloc byte[request.MaxLength];
        var length = BindingSuccess.Write(
            buffer,
            request.TransactionId,
            request.Mapped.Address.GetAddressBytes(),
            (ushort)request.Mapped.Port,
            socket.LocalAddressBytes,
            socket.LocalPort,
            request.Other?.Address.GetAddressBytes() ?? [],
            (ushort)(request.Other?.Port ?? 0),
            request.Fingerprint);
        if (length == 0)
        {
            metrics.CountPeerChangeRequest("refused");
            return Task.CompletedTask;
        }

        try
        {
            socket.Send(buffer[..length], request.Destination.Serialize());
            metrics.CountPeerChangeRequest("answered");
        }
        catch (SocketException)
        {
            // Unreachable destination: the same as a lost answer, which the client already tolerates.
            metrics.CountPeerChangeRequest("refused");
        }

        return Task.CompletedTask;
    }
}
