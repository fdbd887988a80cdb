using System.Text;
using System.Text.Unicode;
using CsCheck;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>ERROR-CODE (RFC 8489 §14.8): class and number, then a UTF-8 reason phrase.</summary>
public sealed class ErrorCodeAttributeTests
{
    private static readonly StunMessageType ErrorResponse = new(StunMethods.Join, StunClass.ErrorResponse);

    [Fact]
    public void Every_code_from_300_to_699_round_trips_with_its_reason()
    {
        for (var code = 300; code <= 699; code++)
        {
            var reason = $"reason-{code}";
            var bytes = Write(code, reason);

            Assert.True(StunTestMessages.Parse(bytes).TryGetErrorCode(out var readCode, out var readReason));
            Assert.Equal(code, readCode);
            Assert.Equal(reason, readReason);
        }
    }

    [Theory]
    [InlineData(300, 3, 0)]
    [InlineData(420, 4, 20)]
    [InlineData(438, 4, 38)]
    [InlineData(699, 6, 99)]
    public void Code_is_split_into_class_and_number_after_two_reserved_zero_bytes(int code, byte cls, byte number)
    {
        var value = StunTestMessages.AttributesOf(Write(code, "x")).Single().Value;

        Assert.Equal([0, 0, cls, number, (byte)'x'], value);
    }

    [Fact]
    public void Empty_reason_round_trips_as_a_four_byte_value()
    {
        var bytes = Write(500, string.Empty);

        Assert.Equal(4, StunTestMessages.AttributesOf(bytes).Single().Value.Length);
        Assert.True(StunTestMessages.Parse(bytes).TryGetErrorCode(out var code, out var reason));
        Assert.Equal(500, code);
        Assert.Equal(string.Empty, reason);
    }

    [Fact]
    public void Non_ASCII_reason_round_trips()
    {
        const string reason = "Lobby voll – bitte später 🎮";

        Assert.True(StunTestMessages.Parse(Write(409, reason)).TryGetErrorCode(out _, out var read));
        Assert.Equal(reason, read);
    }

    [Fact]
    public void Reason_longer_than_127_bytes_is_cut_to_127()
    {
        var reason = new string('a', 200);

        Assert.True(StunTestMessages.Parse(Write(400, reason)).TryGetErrorCode(out _, out var read));
        Assert.Equal(new string('a', ErrorCodeAttribute.MaxReasonBytes), read);
    }

    [Fact]
    public void Reason_is_cut_between_characters_never_inside_one()
    {
        // 126 ASCII bytes then a three-byte character: the limit of 127 falls inside it.
        var reason = new string('a', 126) + "€€";
        var value = StunTestMessages.AttributesOf(Write(400, reason)).Single().Value;

        Assert.True(Utf8.IsValid(value.AsSpan(4)));
        Assert.Equal(4 + 126, value.Length);
    }

    [Fact]
    public void Any_code_and_reason_round_trip_with_the_reason_cut_to_a_valid_prefix_of_at_most_127_bytes()
    {
        Gen.Select(Gen.Int[300, 699], StunGen.Text).Sample((code, reason) =>
        {
            var bytes = Write(code, reason);
            var value = StunTestMessages.AttributesOf(bytes).Single().Value;

            Assert.Equal(ErrorCodeAttribute.ValueLength(reason), value.Length);
            Assert.True(Utf8.IsValid(value.AsSpan(4)));
            Assert.True(StunTestMessages.Parse(bytes).TryGetErrorCode(out var readCode, out var readReason));
            Assert.Equal(code, readCode);
            if (Encoding.UTF8.GetByteCount(reason) <= ErrorCodeAttribute.MaxReasonBytes)
            {
                Assert.Equal(reason, readReason);
            }
            else
            {
                Assert.StartsWith(readReason, reason, StringComparison.Ordinal);
                Assert.InRange(Encoding.UTF8.GetByteCount(readReason), ErrorCodeAttribute.MaxReasonBytes - 3, ErrorCodeAttribute.MaxReasonBytes);
            }
        }, iter: 3000);
    }

    [Theory]
    [InlineData("00 00 04")]
    [InlineData("00 00 02 00")]
    [InlineData("00 00 07 00")]
    [InlineData("00 00 04 64")]
    [InlineData("00 00 00 00 61")]
    public void Malformed_error_code_values_are_rejected(string hex)
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.Append(StunAttributeType.ErrorCode, StunTestMessages.FromHex(hex)));

        Assert.False(StunTestMessages.Parse(bytes).TryGetErrorCode(out _, out _));
    }

    [Fact]
    public void Reserved_bits_above_the_class_are_ignored()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.Append(StunAttributeType.ErrorCode, [0xFF, 0xFF, 0xF8 | 4, 4, (byte)'n']));

        Assert.True(StunTestMessages.Parse(bytes).TryGetErrorCode(out var code, out var reason));
        Assert.Equal(404, code);
        Assert.Equal("n", reason);
    }

    [Fact]
    public void Absent_error_code_is_reported_as_missing()
    {
        Assert.False(StunTestMessages.Parse(StunTestMessages.Build((ref StunMessageWriter _) => { })).TryGetErrorCode(out _, out _));
    }

    private static byte[] Write(int code, string reason) =>
        StunTestMessages.Build(ErrorResponse, StunTestMessages.TransactionId, (ref StunMessageWriter writer) => writer.AppendErrorCode(code, reason));
}
