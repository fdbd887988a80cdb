using System.Net;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Gateway;

/// <summary>Helpers that start and finish replies to authenticated players: signed with the player's key, fingerprinted.</summary>
internal static class SignedReply
{
    public static StunMessageWriter Success(Span<byte> buffer, ushort method, ReadOnlySpan<byte> transactionId) =>
        new(buffer, new StunMessageType(method, StunClass.SuccessResponse), transactionId);

    public static StunMessageWriter Error(Span<byte> buffer, ushort method, ReadOnlySpan<byte> transactionId, ProtocolError error)
    {
        var writer = new StunMessageWriter(buffer, new StunMessageType(method, StunClass.ErrorResponse), transactionId);
        writer.AppendErrorCode(error.Code, error.Slug);
        return writer;
    }

    public static void SignAndSend(ref StunMessageWriter writer, scoped ReadOnlySpan<byte> playerKey, GatewaySocket socket, SocketAddress destination)
    {
        writer.AppendMessageIntegritySha256(playerKey);
        writer.AppendFingerprint();
        socket.Send(writer.Written, destination);
    }
}
