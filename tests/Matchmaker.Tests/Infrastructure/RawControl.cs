using System.Security.Cryptography;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Infrastructure;

/// <summary>Control requests built byte by byte, for tests that speak to the gateway without the SDK.</summary>
internal static class RawControl
{
    public delegate void Body(ref StunMessageWriter writer);

    /// <summary>The two-step registration a client does: cookie challenge, then Register echoing it.</summary>
    public static async Task<(Guid Player, byte[] Key)> RegisterAsync(RawStunSocket socket)
    {
        var (challenge, _) = await socket.RequestAsync(Message(StunMethods.Register, (ref StunMessageWriter w) => w.AppendPaddingTo(ProtocolLimits.RegisterPaddedLength)));
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(challenge, out var challengeMessage));
        Assert.True(challengeMessage.TryGetAttribute(StunAttributeType.Nonce, out ReadOnlySpan<byte> nonce));
        var cookie = nonce.ToArray();
        var (registered, _) = await socket.RequestAsync(Message(StunMethods.Register, (ref StunMessageWriter w) => w.Append(StunAttributeType.Nonce, cookie)));
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(registered, out var reply));
        Assert.True(reply.TryGetGuid(StunAttributeType.PlayerId, out var player));
        Assert.True(reply.TryGetAttribute(StunAttributeType.PlayerKey, out ReadOnlySpan<byte> key));
        return (player, key.ToArray());
    }

    /// <summary>A request from a registered player: its id, then <paramref name="body"/>, signed with its key and fingerprinted.</summary>
    public static byte[] Signed(ushort method, Guid player, byte[] key, Body? body = null) => Message(method, (ref StunMessageWriter w) =>
    {
        w.AppendGuid(StunAttributeType.PlayerId, player);
        body?.Invoke(ref w);
        w.AppendMessageIntegritySha256(key);
        w.AppendFingerprint();
    });

    public static byte[] Message(ushort method, Body body)
    {
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer, new StunMessageType(method, StunClass.Request), RandomNumberGenerator.GetBytes(12));
        body(ref writer);
        return buffer[..writer.Length];
    }
}
