using CsCheck;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;

namespace Matchmaker.Tests.Protocol;

/// <summary>LOBBY-ENTRY: players, capacity, code length, code, then the UTF-8 lobby name.</summary>
public sealed class LobbyEntryAttributeTests
{
    [Fact]
    public void Any_lobby_entry_round_trips()
    {
        var code = Gen.Char[LobbyCode.Alphabet].Array[LobbyCode.Length].Select(c => new string(c));
        Gen.Select(code, StunGen.Text, Gen.Int[0, 255], Gen.Int[0, 255]).Sample((lobbyCode, name, players, maxPlayers) =>
        {
            var value = Write(lobbyCode, name, players, maxPlayers);

            Assert.Equal(LobbyEntryAttribute.ValueLength(lobbyCode, name), value.Length);
            Assert.True(LobbyEntryAttribute.TryRead(value, out var entry));
            Assert.Equal(new LobbyInfo(lobbyCode, name, players, maxPlayers), entry);
        }, iter: 1000);
    }

    [Fact]
    public void Player_counts_are_clamped_to_a_byte()
    {
        Assert.True(LobbyEntryAttribute.TryRead(Write("ABCDEFG", "big", 300, -5), out var entry));
        Assert.Equal(255, entry.Players);
        Assert.Equal(0, entry.MaxPlayers);
    }

    [Theory]
    [InlineData("")]
    [InlineData("02 04")]
    [InlineData("02 04 07 41 42 43")]
    [InlineData("02 04 07 41 42 43 44 45 46 30")]
    [InlineData("02 04 07 41 42 43 44 45 46 47 ff")]
    [InlineData("02 04 03 41 42 43")]
    public void Malformed_lobby_entries_are_rejected(string hex)
    {
        Assert.False(LobbyEntryAttribute.TryRead(StunTestMessages.FromHex(hex), out _));
    }

    [Fact]
    public void Reading_arbitrary_bytes_never_throws()
    {
        Gen.Byte.Array[0, 40].Sample(value =>
        {
            if (LobbyEntryAttribute.TryRead(value, out var entry))
            {
                Assert.True(LobbyCode.TryNormalize(entry.Code, out var normalized));
                Assert.Equal(normalized, entry.Code);
            }
        }, iter: 5000);
    }

    private static byte[] Write(string code, string name, int players, int maxPlayers)
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => LobbyEntryAttribute.Append(ref writer, code, name, players, maxPlayers));
        return StunTestMessages.AttributesOf(bytes).Single(a => a.Type == StunAttributeType.LobbyEntry).Value;
    }
}
