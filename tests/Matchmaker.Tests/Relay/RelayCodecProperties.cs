using CsCheck;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Protocol;

namespace Matchmaker.Tests.Relay;

/// <summary>The relay's wire formats: token, data frame and bind, round-tripped and told apart from STUN.</summary>
public sealed class RelayCodecProperties
{
    private static readonly Gen<RelayToken> Tokens =
        Gen.Select(Gen.Guid, Gen.Byte[0, 1], Gen.UInt, Gen.ULong).Select((id, side, expires, tag) => new RelayToken(id, side, expires, tag));

    [Fact]
    public void Tokens_round_trip()
    {
        Tokens.Sample(token =>
        {
            var bytes = token.ToArray();
            Assert.Equal(RelayToken.Length, bytes.Length);
            Assert.True(RelayToken.TryRead(bytes, out var read));
            Assert.Equal(token, read);
        }, iter: 2000);
    }

    [Fact]
    public void Malformed_tokens_are_refused_not_thrown()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            var ok = RelayToken.TryRead(bytes, out _);
            Assert.True(!ok || (bytes.Length == RelayToken.Length && bytes[0] == 1 && bytes[1] <= 1 && bytes[2] == 0 && bytes[3] == 0));
        }, iter: 5000);
    }

    [Fact]
    public void Keys_differ_per_token_and_per_secret()
    {
        Gen.Select(Tokens, Tokens, Gen.Byte.Array[32], Gen.Byte.Array[32]).Sample((t1, t2, s1, s2) =>
        {
            var k11 = RelayToken.DeriveKey(s1, t1.ToArray());
            Assert.Equal(k11, RelayToken.DeriveKey(s1, t1.ToArray()));
            Assert.True(t1 == t2 || !k11.AsSpan().SequenceEqual(RelayToken.DeriveKey(s1, t2.ToArray())));
            Assert.True(s1.AsSpan().SequenceEqual(s2) || !k11.AsSpan().SequenceEqual(RelayToken.DeriveKey(s2, t1.ToArray())));
        }, iter: 500);
    }

    [Fact]
    public void Frames_round_trip_and_the_handle_rewrites_in_place()
    {
        Gen.Select(Gen.UInt, Gen.UInt, Gen.Byte.Array[0, 1200]).Sample((handle, other, payload) =>
        {
            var frame = new byte[RelayFrame.HeaderLength + payload.Length];
            Assert.Equal(frame.Length, RelayFrame.Write(frame, handle, payload));
            Assert.True(RelayFrame.TryRead(frame, out var readHandle, out var readPayload));
            Assert.Equal(handle, readHandle);
            Assert.Equal(payload, readPayload.ToArray());

            RelayFrame.RewriteHandle(frame, other);
            Assert.True(RelayFrame.TryRead(frame, out var rewritten, out var samePayload));
            Assert.Equal(other, rewritten);
            Assert.Equal(payload, samePayload.ToArray());
        }, iter: 2000);
    }

    [Fact]
    public void No_stun_message_is_a_frame_and_no_frame_parses_as_stun()
    {
        Gen.Select(StunGen.MessageType, StunGen.TransactionId).Sample((type, transactionId) =>
            Assert.False(RelayFrame.IsFrame(StunTestMessages.Build(type, transactionId, (ref StunMessageWriter _) => { }))), iter: 2000);
        Gen.Select(Gen.UInt, Gen.Byte.Array[0, 200]).Sample((handle, payload) =>
        {
            var frame = new byte[RelayFrame.HeaderLength + payload.Length];
            RelayFrame.Write(frame, handle, payload);
            Assert.NotEqual(StunParseStatus.Ok, StunMessage.TryParse(frame, out _));
        }, iter: 2000);
    }

    [Fact]
    public void A_bind_carries_its_token_and_verifies_only_under_its_key()
    {
        Gen.Select(Tokens, Gen.Byte.Array[32]).Sample((token, secret) =>
        {
            var bytes = token.ToArray();
            var key = RelayToken.DeriveKey(secret, bytes);
            var buffer = new byte[256];
            var transactionId = new byte[StunHeader.TransactionIdLength];
            var length = RelayBindMessages.WriteRequest(buffer, bytes, key, transactionId);

            Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(buffer.AsSpan(0, length), out var message));
            Assert.Equal(new StunMessageType(StunMethods.RelayBind, StunClass.Request), message.Type);
            Assert.True(message.TryGetAttribute(StunAttributeType.RelayToken, out ReadOnlySpan<byte> carried));
            Assert.True(carried.SequenceEqual(bytes));
            Assert.True(message.HasValidMessageIntegritySha256(key));
            Assert.False(message.HasValidMessageIntegritySha256(RelayToken.DeriveKey(secret, new RelayToken(token.AllocationId, (byte)(1 - token.Side), token.ExpiresAtUnixSeconds, token.PlayerTag).ToArray())));
            Assert.True(message.FingerprintIsValidOrAbsent());
        }, iter: 300);
    }
}
