using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>CHANGE-REQUEST (RFC 5780 §7.2): "change IP" is bit 0x4, "change port" bit 0x2 of a 32-bit word.</summary>
public sealed class ChangeRequestAttributeTests
{
    [Theory]
    [InlineData(false, false, 0x0)]
    [InlineData(false, true, 0x2)]
    [InlineData(true, false, 0x4)]
    [InlineData(true, true, 0x6)]
    public void Change_request_flags_round_trip(bool changeIp, bool changePort, byte wire)
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendChangeRequest(changeIp, changePort));

        Assert.Equal([0, 0, 0, wire], StunTestMessages.AttributesOf(bytes).Single().Value);
        Assert.True(StunTestMessages.Parse(bytes).TryGetChangeRequest(out var readIp, out var readPort));
        Assert.Equal(changeIp, readIp);
        Assert.Equal(changePort, readPort);
    }

    [Fact]
    public void Absent_change_request_reads_as_no_change()
    {
        var message = StunTestMessages.Parse(StunTestMessages.Build((ref StunMessageWriter _) => { }));

        Assert.True(message.TryGetChangeRequest(out var changeIp, out var changePort));
        Assert.False(changeIp);
        Assert.False(changePort);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00 00 06")]
    [InlineData("00 00 00 06 00")]
    public void Change_request_of_the_wrong_length_is_malformed(string hex)
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.Append(StunAttributeType.ChangeRequest, StunTestMessages.FromHex(hex)));

        Assert.False(StunTestMessages.Parse(bytes).TryGetChangeRequest(out _, out _));
    }

    [Fact]
    public void Unassigned_bits_are_ignored()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendUInt32(StunAttributeType.ChangeRequest, 0xFFFF_FFF9));

        Assert.True(StunTestMessages.Parse(bytes).TryGetChangeRequest(out var changeIp, out var changePort));
        Assert.False(changeIp);
        Assert.False(changePort);
    }
}
