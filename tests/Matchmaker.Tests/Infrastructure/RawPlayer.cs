using System.Security.Cryptography;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Protocol;

namespace Matchmaker.Tests.Infrastructure;

/// <summary>A player registered by hand over a <see cref="RawStunSocket"/>, as a client would: its id, its key, and requests signed with it.</summary>
internal sealed record RawPlayer(Guid Id, byte[] Key)
{
    /// <summary>The two-step registration a client does: cookie challenge, then Register echoing it.</summary>
    public static async Task<RawPlayer> RegisterAsync(RawStunSocket socket)
    {
        var (challenge, _) = await socket.RequestAsync(Request(StunMethods.Register, (ref StunMessageWriter w) => w.AppendPaddingTo(Matchmaker.Protocol.Control.ProtocolLimits.RegisterPaddedLength)));
        Assert.True(StunTestMessages.Parse(challenge).TryGetAttribute(StunAttributeType.Nonce, out ReadOnlySpan<byte> nonce));
        var cookie = nonce.ToArray();
        var (registered, _) = await socket.RequestAsync(Request(StunMethods.Register, (ref StunMessageWriter w) => w.Append(StunAttributeType.Nonce, cookie)));
        var reply = StunTestMessages.Parse(registered);
        Assert.True(reply.TryGetGuid(StunAttributeType.PlayerId, out var player));
        Assert.True(reply.TryGetAttribute(StunAttributeType.PlayerKey, out ReadOnlySpan<byte> key));
        return new RawPlayer(player, key.ToArray());
    }

    /// <summary>A request naming this player, with <paramref name="body"/>'s attributes, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT.</summary>
    public byte[] Signed(ushort method, MessageBody? body = null) => Request(method, (ref StunMessageWriter w) =>
    {
        w.AppendGuid(StunAttributeType.PlayerId, Id);
        body?.Invoke(ref w);
        w.AppendMessageIntegritySha256(Key);
        w.AppendFingerprint();
    });

    private static byte[] Request(ushort method, MessageBody body) =>
        StunTestMessages.Build(new StunMessageType(method, StunClass.Request), RandomNumberGenerator.GetBytes(StunHeader.TransactionIdLength), body);
}
