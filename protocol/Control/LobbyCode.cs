using System.Security.Cryptography;

namespace Matchmaker.Protocol.Control;

/// <summary>
/// Lobby codes players read aloud and type: 7 characters from a 30-character alphabet without look-alikes
/// (no 0/O, 1/I/L, U), drawn from a CSPRNG — 30^7 ≈ 2^34.3 codes, so guessing a live one is hopeless.
/// </summary>
public static class LobbyCode
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 7;

    /// <summary>log2(alphabet^length): the guessing work per code.</summary>
    public static double EntropyBits => Length * Math.Log2(Alphabet.Length);

    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>Accepts lower case, spaces and dashes as a person types them; rejects everything else.</summary>
    public static bool TryNormalize(string? input, out string code)
    {
        code = string.Empty;
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32)
        {
            return false;
        }

        Span<char> chars = stackalloc char[Length];
        var count = 0;
        foreach (var raw in input)
        {
            if (raw is ' ' or '-')
            {
                continue;
            }

            var c = char.ToUpperInvariant(raw);
            if (count == Length || !Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }

            chars[count++] = c;
        }

        if (count != Length)
        {
            return false;
        }

        code = new string(chars);
        return true;
    }
}
