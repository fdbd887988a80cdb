using System.Collections.Immutable;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Protocol.Control;

/// <summary>
/// The Matched push (method 0x832): the queue formed a lobby of these players (the receiver included,
/// oldest ticket first). Introductions to each other player follow as their own pushes.
/// </summary>
public sealed record MatchedMessage(string LobbyCode, ImmutableArray<Guid> Players)
{
    public void Write(ref StunMessageWriter writer)
    {
        writer.AppendString(StunAttributeType.LobbyCode, LobbyCode, 32);
        foreach (var player in Players.Take(ProtocolLimits.MaxPlayers))
        {
            writer.AppendGuid(StunAttributeType.MatchedPlayer, player);
        }
    }

    public static bool TryRead(StunMessage message, out MatchedMessage matched)
    {
        matched = null!;
        if (!message.TryGetString(StunAttributeType.LobbyCode, 32, out var code))
        {
            return false;
        }

        var players = ImmutableArray.CreateBuilder<Guid>();
        foreach (var attribute in message.Attributes)
        {
            if (attribute.Type != StunAttributeType.MatchedPlayer)
            {
                continue;
            }

            if (attribute.Value.Length != 16 || players.Count == ProtocolLimits.MaxPlayers)
            {
                return false;
            }

            players.Add(new Guid(attribute.Value, bigEndian: true));
        }

        if (players.Count < ProtocolLimits.MinPlayers)
        {
            return false;
        }

        matched = new MatchedMessage(code, players.ToImmutable());
        return true;
    }
}
