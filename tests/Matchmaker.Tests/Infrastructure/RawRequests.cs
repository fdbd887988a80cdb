using System.Net;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Infrastructure;

/// <summary>Heartbeats and lobby requests of a hand-registered player, shaped as the SDK shapes them, with their answers checked.</summary>
internal static class RawRequests
{
    /// <summary>A lobby claim as a heartbeat restates it: the code, and for a host its name and size.</summary>
    public sealed record Claim(string Code, string Name, int MaxPlayers);

    /// <summary>Sends one heartbeat and checks its signed answer names the heartbeat interval.</summary>
    public static async Task HeartbeatAsync(RawStunSocket socket, RawPlayer player, IPEndPoint lan, Claim? claim = null)
    {
        var datagram = await AnswerAsync(socket, player.Signed(StunMethods.Heartbeat, (ref StunMessageWriter w) =>
        {
            w.AppendUInt32(StunAttributeType.NatCapabilities, 0);
            w.AppendXorAddress(StunAttributeType.LanEndpoint, lan);
            if (claim is not null)
            {
                w.AppendString(StunAttributeType.LobbyCode, claim.Code, 32);
                w.AppendString(StunAttributeType.LobbyName, claim.Name, ProtocolLimits.MaxLobbyNameBytes);
                w.AppendUInt32(StunAttributeType.MaxPlayers, (uint)claim.MaxPlayers);
            }
        }));
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var reply));
        Assert.Equal(StunClass.SuccessResponse, reply.Type.Class);
        Assert.True(reply.HasValidMessageIntegritySha256(player.Key));
        Assert.True(reply.TryGetUInt32(StunAttributeType.HeartbeatInterval, out var interval) && interval > 0);
    }

    /// <summary>Hosts a lobby; the answer is the lobby's code, or null with the error slug when it was refused.</summary>
    public static async Task<(string? Code, string? Error)> TryHostAsync(RawStunSocket socket, RawPlayer player, string name, int maxPlayers)
    {
        var datagram = await AnswerAsync(socket, player.Signed(StunMethods.Host, (ref StunMessageWriter w) =>
        {
            w.AppendString(StunAttributeType.LobbyName, name, ProtocolLimits.MaxLobbyNameBytes);
            w.AppendUInt32(StunAttributeType.MaxPlayers, (uint)maxPlayers);
        }));
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var reply));
        Assert.True(reply.HasValidMessageIntegritySha256(player.Key));
        if (reply.TryGetErrorCode(out _, out var slug))
        {
            return (null, slug);
        }

        Assert.True(reply.TryGetAttribute(StunAttributeType.LobbyEntry, out ReadOnlySpan<byte> entry));
        Assert.True(LobbyEntryAttribute.TryRead(entry, out var lobby));
        return (lobby.Code, null);
    }

    public static async Task<string> HostAsync(RawStunSocket socket, RawPlayer player, string name, int maxPlayers)
    {
        var (code, error) = await TryHostAsync(socket, player, name, maxPlayers);
        Assert.Null(error);
        return code!;
    }

    /// <summary>The answer to this request, passing over pushes (introductions) that arrive before it.</summary>
    public static Task<byte[]> AnswerAsync(RawStunSocket socket, byte[] request)
    {
        socket.Send(request);
        return ReceiveAnswerAsync(socket, request);
    }

    /// <summary>The answer to a request already sent, passing over whatever else arrives before it.</summary>
    public static async Task<byte[]> ReceiveAnswerAsync(RawStunSocket socket, byte[] request)
    {
        while (true)
        {
            var (datagram, _) = await socket.ReceiveAsync();
            if (datagram.Length >= StunHeader.Length && datagram.AsSpan(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength)
                .SequenceEqual(request.AsSpan(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength)))
            {
                return datagram;
            }
        }
    }
}
