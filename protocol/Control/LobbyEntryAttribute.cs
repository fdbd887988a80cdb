using System.Text;
using Matchmaker.Protocol.Stun;

namespace Matchmaker.Protocol.Control;

/// <summary>
/// LOBBY-ENTRY (Matchmaker, 0x400D): one lobby in a reply — players (1 byte), capacity (1 byte),
/// code length (1 byte), code, then the UTF-8 name filling the rest of the value.
/// </summary>
public static class LobbyEntryAttribute
{
    public static int ValueLength(string code, string name) => 3 + code.Length + Encoding.UTF8.GetByteCount(name);

    public static void Append(ref StunMessageWriter writer, string code, string name, int players, int maxPlayers)
    {
        var value = writer.Append(StunAttributeType.LobbyEntry, ValueLength(code, name));
        value[0] = (byte)Math.Clamp(players, 0, 255);
        value[1] = (byte)Math.Clamp(maxPlayers, 0, 255);
        value[2] = (byte)code.Length;
        var written = Encoding.ASCII.GetBytes(code, value[3..]);
        Encoding.UTF8.GetBytes(name, value[(3 + written)..]);
    }

    public static bool TryRead(ReadOnlySpan<byte> value, out LobbyInfo entry)
    {
        entry = default;
        if (value.Length < 3 || value.Length < 3 + value[2])
        {
            return false;
        }

        var code = Encoding.ASCII.GetString(value.Slice(3, value[2]));
        var nameBytes = value[(3 + value[2])..];
        if (!System.Text.Unicode.Utf8.IsValid(nameBytes) || !LobbyCode.TryNormalize(code, out code))
        {
            return false;
        }

        entry = new LobbyInfo(code, Encoding.UTF8.GetString(nameBytes), value[0], value[1]);
        return true;
    }
}
