using CsCheck;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>TLV padding (RFC 8489 §14): the length field holds the value length, the value is padded to 32 bits.</summary>
public sealed class AttributePaddingTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 4)]
    [InlineData(2, 4)]
    [InlineData(3, 4)]
    [InlineData(4, 4)]
    [InlineData(5, 8)]
    [InlineData(11, 12)]
    [InlineData(65535, 65536)]
    public void Values_are_padded_to_the_next_multiple_of_four(int length, int padded)
    {
        Assert.Equal(padded, StunAttributeLayout.Pad(length));
        Assert.Equal(StunAttributeLayout.HeaderLength + padded, StunAttributeLayout.PaddedLength(length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Length_field_holds_the_unpadded_length_and_padding_is_zero_even_in_a_reused_buffer(int length)
    {
        var value = Enumerable.Repeat((byte)0xAB, length).ToArray();
        var buffer = Enumerable.Repeat((byte)0xEE, 64).ToArray(); // left over from a previous datagram
        var writer = new StunMessageWriter(buffer, StunTestMessages.BindingRequest, StunTestMessages.TransactionId);
        writer.Append(StunAttributeType.Payload, value);
        writer.AppendUInt32(StunAttributeType.Lifetime, 0xCAFEF00D);
        var bytes = writer.Written.ToArray();

        var padded = StunAttributeLayout.Pad(length);
        Assert.Equal(StunHeader.Length + 4 + padded + 8, bytes.Length);
        Assert.Equal(bytes.Length - StunHeader.Length, (bytes[2] << 8) | bytes[3]);
        Assert.Equal(length, (bytes[22] << 8) | bytes[23]);
        Assert.All(bytes[(24 + length)..(24 + padded)], b => Assert.Equal(0, b));
        var attributes = StunTestMessages.AttributesOf(bytes);
        Assert.Equal(value, attributes[0].Value);
        Assert.Equal(StunAttributeType.Lifetime, attributes[1].Type);
        Assert.Equal(24 + padded, StunTestMessages.OffsetOf(bytes, StunAttributeType.Lifetime));
    }

    [Fact]
    public void Padding_content_is_ignored_by_the_reader()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
        {
            writer.Append(StunAttributeType.LobbyName, "abcde"u8);
            writer.AppendUInt32(StunAttributeType.Lifetime, 7);
        });
        bytes.AsSpan(StunHeader.Length + 4 + 5, 3).Fill(0xFF);
        var message = StunTestMessages.Parse(bytes);

        Assert.True(message.TryGetString(StunAttributeType.LobbyName, 64, out var name));
        Assert.Equal("abcde", name);
        Assert.True(message.TryGetUInt32(StunAttributeType.Lifetime, out var lifetime));
        Assert.Equal(7u, lifetime);
    }

    [Fact]
    public void Every_attribute_starts_on_a_32_bit_boundary_whatever_the_value_lengths()
    {
        StunGen.RawAttributes.Sample(attributes =>
        {
            var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
            {
                foreach (var (type, value) in attributes)
                {
                    writer.Append(type, value);
                }
            });

            Assert.Equal(StunHeader.Length + attributes.Sum(a => StunAttributeLayout.PaddedLength(a.Value.Length)), bytes.Length);
            foreach (var attribute in StunTestMessages.Parse(bytes).Attributes)
            {
                Assert.Equal(0, attribute.Offset % 4);
            }
        }, iter: 1000);
    }

    [Fact]
    public void Writer_reports_whether_a_value_still_fits()
    {
        var buffer = new byte[StunHeader.Length + 12];
        var writer = new StunMessageWriter(buffer, StunTestMessages.BindingRequest, StunTestMessages.TransactionId);

        Assert.True(writer.Fits(8));
        Assert.True(writer.Fits(5));
        Assert.False(writer.Fits(9));
        writer.Append(StunAttributeType.Payload, 1);
        Assert.True(writer.Fits(0));
        Assert.False(writer.Fits(1));
    }
}
