using System.Text;
using CsCheck;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>Fixed-width and text values of Matchmaker's own attributes.</summary>
public sealed class ScalarAttributesTests
{
    [Fact]
    public void Any_uint32_round_trips_big_endian()
    {
        Gen.UInt.Sample(value =>
        {
            var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendUInt32(StunAttributeType.Lifetime, value));

            Assert.Equal(new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value }, StunTestMessages.AttributesOf(bytes).Single().Value);
            Assert.True(StunTestMessages.Parse(bytes).TryGetUInt32(StunAttributeType.Lifetime, out var read));
            Assert.Equal(value, read);
        }, iter: 1000);
    }

    [Fact]
    public void Every_byte_round_trips_in_a_padded_one_byte_attribute()
    {
        for (var value = 0; value <= byte.MaxValue; value++)
        {
            var b = (byte)value;
            var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendByte(StunAttributeType.PeerRole, b));

            Assert.Equal(StunHeader.Length + 8, bytes.Length);
            Assert.True(StunTestMessages.Parse(bytes).TryGetByte(StunAttributeType.PeerRole, out var read));
            Assert.Equal(b, read);
        }
    }

    [Fact]
    public void Any_guid_round_trips()
    {
        Gen.Guid.Sample(value =>
        {
            var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendGuid(StunAttributeType.PlayerId, value));

            Assert.True(StunTestMessages.Parse(bytes).TryGetGuid(StunAttributeType.PlayerId, out var read));
            Assert.Equal(value, read);
        }, iter: 1000);
    }

    [Fact]
    public void Guid_is_written_big_endian_in_its_textual_order()
    {
        var value = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendGuid(StunAttributeType.PlayerId, value));

        Assert.Equal(StunTestMessages.FromHex("00112233445566778899aabbccddeeff"), StunTestMessages.AttributesOf(bytes).Single().Value);
    }

    [Fact]
    public void Any_text_within_the_limit_round_trips()
    {
        StunGen.Text.Sample(text =>
        {
            var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendString(StunAttributeType.LobbyName, text, 400));

            Assert.Equal(Encoding.UTF8.GetBytes(text), StunTestMessages.AttributesOf(bytes).Single().Value);
            Assert.True(StunTestMessages.Parse(bytes).TryGetString(StunAttributeType.LobbyName, 400, out var read));
            Assert.Equal(text, read);
        }, iter: 2000);
    }

    [Fact]
    public void Writing_text_over_the_byte_limit_throws()
    {
        var buffer = new byte[256];

        Assert.Throws<ArgumentException>(() =>
        {
            var writer = new StunMessageWriter(buffer, StunTestMessages.BindingRequest, StunTestMessages.TransactionId);
            writer.AppendString(StunAttributeType.LobbyName, "ééé", 5); // six UTF-8 bytes
        });
    }

    [Fact]
    public void Text_over_the_reader_limit_is_rejected()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendString(StunAttributeType.LobbyName, "abcdef", 64));

        Assert.False(StunTestMessages.Parse(bytes).TryGetString(StunAttributeType.LobbyName, 5, out _));
        Assert.True(StunTestMessages.Parse(bytes).TryGetString(StunAttributeType.LobbyName, 6, out _));
    }

    [Theory]
    [InlineData("ff")]
    [InlineData("c3")]
    [InlineData("ed a0 80")]
    [InlineData("61 80 62")]
    public void Invalid_UTF_8_is_rejected_rather_than_replaced(string hex)
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.Append(StunAttributeType.LobbyName, StunTestMessages.FromHex(hex)));

        Assert.False(StunTestMessages.Parse(bytes).TryGetString(StunAttributeType.LobbyName, 64, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(15)]
    [InlineData(17)]
    public void Fixed_width_values_of_the_wrong_length_are_rejected(int length)
    {
        var value = new byte[length];
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
        {
            writer.Append(StunAttributeType.Lifetime, value);
            writer.Append(StunAttributeType.PlayerId, value);
            writer.Append(StunAttributeType.PeerRole, new byte[length + 2]);
        });
        var message = StunTestMessages.Parse(bytes);

        Assert.False(message.TryGetUInt32(StunAttributeType.Lifetime, out _));
        Assert.False(message.TryGetGuid(StunAttributeType.PlayerId, out _));
        Assert.False(message.TryGetByte(StunAttributeType.PeerRole, out _));
    }

    [Fact]
    public void Absent_scalars_are_reported_as_missing()
    {
        var message = StunTestMessages.Parse(StunTestMessages.Build((ref StunMessageWriter _) => { }));

        Assert.False(message.TryGetUInt32(StunAttributeType.Lifetime, out _));
        Assert.False(message.TryGetGuid(StunAttributeType.PlayerId, out _));
        Assert.False(message.TryGetByte(StunAttributeType.PeerRole, out _));
        Assert.False(message.TryGetString(StunAttributeType.LobbyName, 64, out _));
    }
}
