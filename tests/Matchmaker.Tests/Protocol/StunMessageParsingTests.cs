using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>Framing checks of <see cref="StunMessage.TryParse"/> (RFC 8489 §6.3) on hand-made bad input.</summary>
public sealed class StunMessageParsingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(19)]
    public void Datagram_shorter_than_a_header_is_too_short(int length)
    {
        Assert.Equal(StunParseStatus.TooShort, StunMessage.TryParse(new byte[length], out _));
    }

    [Theory]
    [InlineData(0x40)]
    [InlineData(0x80)]
    [InlineData(0xC0)]
    public void Datagram_with_either_top_bit_set_is_not_stun(byte first)
    {
        var bytes = EmptyRequest();
        bytes[0] |= first;

        Assert.Equal(StunParseStatus.NotStun, StunMessage.TryParse(bytes, out _));
        Assert.False(StunHeader.LooksLikeStun(bytes));
    }

    [Fact]
    public void Datagram_without_the_magic_cookie_is_refused()
    {
        var bytes = EmptyRequest();
        bytes[7] ^= 0x01;

        Assert.Equal(StunParseStatus.BadMagicCookie, StunMessage.TryParse(bytes, out _));
        Assert.False(StunHeader.LooksLikeStun(bytes));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void Length_field_larger_than_the_datagram_is_a_mismatch(int extra)
    {
        var bytes = RequestWithLifetime();
        bytes[3] += (byte)extra;

        Assert.Equal(StunParseStatus.LengthMismatch, StunMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Trailing_bytes_after_the_declared_length_are_a_mismatch()
    {
        var bytes = RequestWithLifetime().Concat(new byte[4]).ToArray();

        Assert.Equal(StunParseStatus.LengthMismatch, StunMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Length_not_a_multiple_of_four_is_a_mismatch_even_when_it_matches_the_datagram()
    {
        var bytes = RequestWithLifetime().Concat(new byte[1]).ToArray();
        bytes[3] += 1;

        Assert.Equal(StunParseStatus.LengthMismatch, StunMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Attribute_overrunning_the_message_is_malformed()
    {
        var bytes = RequestWithLifetime();
        bytes[StunHeader.Length + 3] = 5; // claims 5 value bytes, only 4 present and no room for padding

        Assert.Equal(StunParseStatus.MalformedAttribute, StunMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Attribute_with_the_largest_length_is_malformed()
    {
        var bytes = RequestWithLifetime();
        bytes[StunHeader.Length + 2] = 0xFF;
        bytes[StunHeader.Length + 3] = 0xFF;

        Assert.Equal(StunParseStatus.MalformedAttribute, StunMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Failed_parse_leaves_an_empty_message()
    {
        var bytes = RequestWithLifetime();
        bytes[4] = 0;

        Assert.NotEqual(StunParseStatus.Ok, StunMessage.TryParse(bytes, out var message));
        Assert.True(message.Buffer.IsEmpty);
    }

    [Fact]
    public void Header_only_message_parses_with_no_attributes()
    {
        var message = StunTestMessages.Parse(EmptyRequest());

        Assert.Equal(StunTestMessages.BindingRequest, message.Type);
        Assert.Equal(StunTestMessages.TransactionId, message.TransactionId.ToArray());
        Assert.False(message.Attributes.MoveNext());
    }

    [Fact]
    public void The_first_of_duplicate_attributes_wins()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
        {
            writer.AppendUInt32(StunAttributeType.Lifetime, 1);
            writer.AppendUInt32(StunAttributeType.Lifetime, 2);
        });

        Assert.True(StunTestMessages.Parse(bytes).TryGetUInt32(StunAttributeType.Lifetime, out var lifetime));
        Assert.Equal(1u, lifetime);
    }

    [Fact]
    public void Writer_refuses_a_transaction_id_that_is_not_twelve_bytes()
    {
        var buffer = new byte[64];

        Assert.Throws<ArgumentException>(() => { _ = new StunMessageWriter(buffer, StunTestMessages.BindingRequest, new byte[11]); });
    }

    [Fact]
    public void Only_types_below_0x8000_are_comprehension_required()
    {
        Assert.True(StunAttributeType.IsComprehensionRequired(StunAttributeType.MappedAddress));
        Assert.True(StunAttributeType.IsComprehensionRequired(0x7FFF));
        Assert.False(StunAttributeType.IsComprehensionRequired(0x8000));
        Assert.False(StunAttributeType.IsComprehensionRequired(StunAttributeType.Fingerprint));
    }

    private static byte[] EmptyRequest() => StunTestMessages.Build((ref StunMessageWriter _) => { });

    private static byte[] RequestWithLifetime() =>
        StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendUInt32(StunAttributeType.Lifetime, 1));
}
