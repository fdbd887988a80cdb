using Matchmaker.Client;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Cli;

/// <summary>Where the CLI reports what happens: JSON lines for scripts, or a terminal display for people.</summary>
internal interface IEventOutput
{
    void Registered(MatchmakerClient client);

    void LobbyHosted(LobbyInfo lobby);

    void LobbyJoined(LobbyInfo lobby);

    void LobbyListed(IReadOnlyList<LobbyInfo> lobbies);

    void Queued(string mode, int size, string? region);

    void Matched(string code, IReadOnlyList<Guid> players);

    void Connected(PeerConnection peer);

    void Message(PeerConnection peer, string text);

    void Disconnected(PeerConnection peer, string reason);

    void LobbyClosed(string code, string reason);

    void Error(string code, string message);
}
