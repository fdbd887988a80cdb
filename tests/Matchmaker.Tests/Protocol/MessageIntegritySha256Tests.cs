using System.Buffers.Binary;
using System.Security.Cryptography;
using CsCheck;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6): HMAC-SHA256 with the length field ending after the attribute.</summary>
public sealed class MessageIntegritySha256Tests
{
    private static readonly byte[] Key = "per-player key issued at registration"u8.ToArray();

    [Fact]
    public void Signed_message_verifies_with_its_key()
    {
        Gen.Select(StunGen.RawAttributes, Gen.Byte.Array[1, 64]).Sample((attributes, key) =>
        {
            var bytes = Sign(attributes, key);

            Assert.True(StunTestMessages.Parse(bytes).HasValidMessageIntegritySha256(key));
        }, iter: 500);
    }

    [Fact]
    public void Signed_message_does_not_verify_with_another_key()
    {
        var bytes = Sign([], Key);
        var other = (byte[])Key.Clone();
        other[^1] ^= 1;

        Assert.False(StunTestMessages.Parse(bytes).HasValidMessageIntegritySha256(other));
        Assert.False(StunTestMessages.Parse(bytes).HasValidMessageIntegritySha256(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Value_is_the_HMAC_of_the_preceding_bytes_with_the_length_field_ending_after_the_attribute()
    {
        var bytes = Sign([(StunAttributeType.LobbyCode, "ABCDEFG"u8.ToArray())], Key);
        var offset = StunTestMessages.OffsetOf(bytes, StunAttributeType.MessageIntegritySha256);

        var covered = bytes[..offset];
        BinaryPrimitives.WriteUInt16BigEndian(covered.AsSpan(2), (ushort)(offset + 4 + 32 - StunHeader.Length));
        Assert.Equal(HMACSHA256.HashData(Key, covered), bytes[(offset + 4)..(offset + 36)]);
    }

    [Fact]
    public void Every_bit_flip_before_or_inside_the_attribute_invalidates_it()
    {
        var bytes = Sign([(StunAttributeType.LobbyName, "lobby"u8.ToArray()), (StunAttributeType.Lifetime, new byte[4])], Key);

        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            if (StunMessage.TryParse(StunTestMessages.FlipBit(bytes, bit), out var message) == StunParseStatus.Ok)
            {
                Assert.False(message.HasValidMessageIntegritySha256(Key), $"bit {bit}");
            }
        }
    }

    [Fact]
    public void Appending_fingerprint_after_integrity_keeps_integrity_valid()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
        {
            writer.AppendGuid(StunAttributeType.PlayerId, Guid.NewGuid());
            writer.AppendMessageIntegritySha256(Key);
            writer.AppendFingerprint();
        });
        var message = StunTestMessages.Parse(bytes);

        Assert.True(message.HasValidMessageIntegritySha256(Key));
        Assert.True(message.HasAttribute(StunAttributeType.Fingerprint));
        Assert.True(message.FingerprintIsValidOrAbsent());
    }

    [Theory]
    [InlineData(16)]
    [InlineData(20)]
    [InlineData(28)]
    public void Integrity_truncated_to_a_multiple_of_four_of_at_least_16_bytes_verifies(int length)
    {
        var bytes = SignTruncated(length);

        Assert.True(StunTestMessages.Parse(bytes).HasValidMessageIntegritySha256(Key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(18)]
    public void Integrity_truncated_below_16_bytes_or_off_the_32_bit_grid_is_refused(int length)
    {
        var bytes = SignTruncated(length);

        Assert.False(StunTestMessages.Parse(bytes).HasValidMessageIntegritySha256(Key));
    }

    [Fact]
    public void Integrity_longer_than_32_bytes_is_refused()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.Append(StunAttributeType.MessageIntegritySha256, new byte[36]));

        Assert.False(StunTestMessages.Parse(bytes).HasValidMessageIntegritySha256(Key));
    }

    [Fact]
    public void Message_without_integrity_is_not_valid()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendUInt32(StunAttributeType.Lifetime, 1));

        Assert.False(StunTestMessages.Parse(bytes).HasValidMessageIntegritySha256(Key));
    }

    [Fact]
    public void A_SHA_1_integrity_does_not_stand_in_for_SHA_256()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendMessageIntegrity(Key));

        Assert.False(StunTestMessages.Parse(bytes).HasValidMessageIntegritySha256(Key));
    }

    private static byte[] Sign((ushort Type, byte[] Value)[] attributes, byte[] key) =>
        StunTestMessages.Build((ref StunMessageWriter writer) =>
        {
            foreach (var (type, value) in attributes)
            {
                writer.Append(type, value);
            }

            writer.AppendMessageIntegritySha256(key);
        });

    /// <summary>What a peer that truncates the HMAC (RFC 8489 §14.6) would send.</summary>
    private static byte[] SignTruncated(int length)
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunTestMessages.BindingRequest, StunTestMessages.TransactionId);
        writer.AppendUInt32(StunAttributeType.Lifetime, 30_000);
        var covered = buffer[..writer.Length];
        BinaryPrimitives.WriteUInt16BigEndian(covered.AsSpan(2), (ushort)(writer.Length + StunAttributeLayout.PaddedLength(length) - StunHeader.Length));
        writer.Append(StunAttributeType.MessageIntegritySha256, HMACSHA256.HashData(Key, covered).AsSpan(0, length));
        return writer.Written.ToArray();
    }
}
