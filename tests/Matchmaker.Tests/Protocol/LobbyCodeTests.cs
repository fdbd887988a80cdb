using CsCheck;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Tests.Protocol;

/// <summary>Lobby codes: 7 characters people read aloud and type, without look-alike characters.</summary>
public sealed class LobbyCodeTests
{
    private static readonly Gen<string> Code = Gen.Char[LobbyCode.Alphabet].Array[LobbyCode.Length].Select(chars => new string(chars));

    [Fact]
    public void Alphabet_has_no_look_alike_characters()
    {
        foreach (var lookAlike in "0O1ILU")
        {
            Assert.DoesNotContain(lookAlike, LobbyCode.Alphabet);
        }
    }

    [Fact]
    public void Alphabet_is_distinct_upper_case_letters_and_digits()
    {
        Assert.Equal(LobbyCode.Alphabet.Length, LobbyCode.Alphabet.Distinct().Count());
        Assert.All(LobbyCode.Alphabet, c => Assert.True(char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c), $"'{c}'"));
        Assert.Equal(36 - 6, LobbyCode.Alphabet.Length);
        Assert.Equal(LobbyCode.Length * Math.Log2(30), LobbyCode.EntropyBits, 10);
    }

    [Fact]
    public void Generated_codes_always_normalize_to_themselves()
    {
        for (var i = 0; i < 5_000; i++)
        {
            var code = LobbyCode.Generate();

            Assert.Equal(LobbyCode.Length, code.Length);
            Assert.All(code, c => Assert.Contains(c, LobbyCode.Alphabet));
            Assert.True(LobbyCode.TryNormalize(code, out var normalized));
            Assert.Equal(code, normalized);
        }
    }

    [Fact]
    public void Generated_codes_use_the_whole_alphabet()
    {
        var seen = new HashSet<char>();
        for (var i = 0; i < 2_000 && seen.Count < LobbyCode.Alphabet.Length; i++)
        {
            seen.UnionWith(LobbyCode.Generate());
        }

        // 14,000 draws from 30 characters: missing one has probability below 30·(29/30)^14000, effectively zero.
        Assert.Equal(LobbyCode.Alphabet.Length, seen.Count);
    }

    [Theory]
    [InlineData("abcdefg", "ABCDEFG")]
    [InlineData("ABC-DEFG", "ABCDEFG")]
    [InlineData("abc defg", "ABCDEFG")]
    [InlineData(" x7k-9m2-q ", "X7K9M2Q")]
    [InlineData("--2-3-4-5-6-7-8--", "2345678")]
    public void Typed_codes_are_normalized(string typed, string expected)
    {
        Assert.True(LobbyCode.TryNormalize(typed, out var code));
        Assert.Equal(expected, code);
    }

    [Fact]
    public void Lower_case_dashes_and_spaces_are_accepted_anywhere()
    {
        var typing = Gen.Select(Code, Gen.Bool.Array[LobbyCode.Length], Gen.Int[0, LobbyCode.Length].Array[0, 8], Gen.OneOf(' ', '-').Array[8]);
        typing.Sample((code, lower, separatorPositions, separators) =>
        {
            var typed = new System.Text.StringBuilder();
            for (var i = 0; i <= code.Length; i++)
            {
                for (var s = 0; s < separatorPositions.Length; s++)
                {
                    if (separatorPositions[s] == i)
                    {
                        typed.Append(separators[s]);
                    }
                }

                if (i < code.Length)
                {
                    typed.Append(lower[i] ? char.ToLowerInvariant(code[i]) : code[i]);
                }
            }

            Assert.True(LobbyCode.TryNormalize(typed.ToString(), out var normalized), typed.ToString());
            Assert.Equal(code, normalized);
        }, iter: 5_000);
    }

    [Fact]
    public void Codes_of_the_wrong_length_are_rejected()
    {
        var wrongLength = Gen.Char[LobbyCode.Alphabet].Array[0, 20].Where(chars => chars.Length != LobbyCode.Length).Select(chars => new string(chars));
        wrongLength.Sample(code => Assert.False(LobbyCode.TryNormalize(code, out _), code), iter: 2_000);
    }

    [Fact]
    public void A_single_foreign_character_makes_an_otherwise_valid_code_invalid()
    {
        // Inserted, not substituted: a parser that skipped the character would still find seven valid ones.
        var allowed = LobbyCode.Alphabet + LobbyCode.Alphabet.ToLowerInvariant() + " -";
        var foreign = Gen.Char.Where(c => !allowed.Contains(c, StringComparison.Ordinal));
        Gen.Select(Code, Gen.Int[0, LobbyCode.Length], foreign).Sample((code, position, c) =>
        {
            var typed = code.Insert(position, c.ToString());

            Assert.False(LobbyCode.TryNormalize(typed, out _), $"U+{(int)c:X4} accepted in {typed}");
        }, iter: 5_000);
    }

    [Fact]
    public void A_look_alike_in_place_of_a_code_character_makes_the_code_invalid()
    {
        Gen.Select(Code, Gen.Int[0, LobbyCode.Length - 1], Gen.Char["0Oo1IiLlUu"]).Sample((code, position, c) =>
        {
            var typed = code[..position] + c + code[(position + 1)..];

            Assert.False(LobbyCode.TryNormalize(typed, out _), typed);
        }, iter: 2_000);
    }

    [Theory]
    [InlineData("ABCDEF0")]
    [InlineData("ABCDEFO")]
    [InlineData("ABCDEFo")]
    [InlineData("ABCDEF1")]
    [InlineData("ABCDEFI")]
    [InlineData("ABCDEFi")]
    [InlineData("ABCDEFL")]
    [InlineData("ABCDEFl")]
    [InlineData("ABCDEFU")]
    [InlineData("ABCDEFu")]
    [InlineData("ABC_DEFG")]
    [InlineData("ABC.DEFG")]
    [InlineData("ABC\tDEFG")]
    [InlineData("ABC\u00a0DEFG")]
    [InlineData("ABCDEF\u00e9")]
    [InlineData("ABCDEF\uff27")]
    [InlineData("ABCDEF\u017f")] // LATIN SMALL LETTER LONG S, which Unicode upper-cases to 'S'
    [InlineData("ABCDEF\u0131")] // LATIN SMALL LETTER DOTLESS I, which Unicode upper-cases to 'I'
    public void Look_alikes_and_non_ASCII_characters_are_rejected(string typed)
    {
        Assert.False(LobbyCode.TryNormalize(typed, out var code));
        Assert.Equal(string.Empty, code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-------")]
    [InlineData("ABCDEFGH")]
    [InlineData("ABC DEF G                          ")]
    public void Empty_overlong_and_padded_out_inputs_are_rejected(string? typed)
    {
        Assert.False(LobbyCode.TryNormalize(typed, out _));
    }
}
