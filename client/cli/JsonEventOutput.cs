using System.Text.Json;
using Matchmaker.Client;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Cli;

/// <summary>
/// One JSON object per line on stdout. Event names and fields are a public interface:
/// <c>lobby</c>, <c>joined</c>, <c>queued</c>, <c>matched</c>, <c>registered</c>, <c>connected</c>, <c>message</c>, <c>disconnected</c>, <c>closed</c>, <c>error</c>.
/// </summary>
internal sealed class JsonEventOutput(TextWriter stdout) : IEventOutput
{
    private readonly Lock _gate = new();

    public void Registered(MatchmakerClient client)
    {
        var fields = new Dictionary<string, object?>
        {
            ["event"] = "registered",
            ["player"] = client.PlayerId.ToString("N"),
            ["public"] = client.PublicEndPoint?.ToString(),
        };

        // Present only when there is one: the public IPv6 endpoint, and the UPnP-mapped or declared open endpoint.
        if (client.Ipv6EndPoint is { } public6)
        {
            fields["public6"] = public6.ToString();
        }

        if (client.ListenEndPoint is { } listen)
        {
            fields["listen"] = listen.ToString();
        }

        Write(fields);
    }

    public void LobbyHosted(LobbyInfo lobby) => Write(LobbyFields("lobby", lobby));

    public void LobbyJoined(LobbyInfo lobby) => Write(LobbyFields("joined", lobby));

    public void LobbyListed(IReadOnlyList<LobbyInfo> lobbies)
    {
        foreach (var lobby in lobbies)
        {
            Write(LobbyFields("lobby", lobby));
        }
    }

    public void Queued(string mode, int size, string? region) => Write(new()
    {
        ["event"] = "queued",
        ["mode"] = mode,
        ["size"] = size,
        ["region"] = region,
    });

    public void Matched(string code, IReadOnlyList<Guid> players) => Write(new()
    {
        ["event"] = "matched",
        ["lobby"] = code,
        ["players"] = players.Select(p => p.ToString("N")).ToArray(),
    });

    public void Connected(PeerConnection peer) => Write(new()
    {
        ["event"] = "connected",
        ["peer"] = peer.PeerId.ToString("N"),
        ["method"] = peer.Method.ToWireName(),
        ["endpoint"] = peer.RemoteEndPoint.ToString(),
        ["host"] = peer.PeerIsHost,
    });

    public void Message(PeerConnection peer, string text) => Write(new()
    {
        ["event"] = "message",
        ["from"] = peer.PeerId.ToString("N"),
        ["text"] = text,
    });

    public void Disconnected(PeerConnection peer, string reason) => Write(new()
    {
        ["event"] = "disconnected",
        ["peer"] = peer.PeerId.ToString("N"),
        ["reason"] = reason,
    });

    public void LobbyClosed(string code, string reason) => Write(new()
    {
        ["event"] = "closed",
        ["code"] = code,
        ["reason"] = reason,
    });

    public void Error(string code, string message) => Write(new()
    {
        ["event"] = "error",
        ["code"] = code,
        ["message"] = message,
    });

    private static Dictionary<string, object?> LobbyFields(string name, LobbyInfo lobby) => new()
    {
        ["event"] = name,
        ["code"] = lobby.Code,
        ["name"] = lobby.Name,
        ["players"] = lobby.Players,
        ["maxPlayers"] = lobby.MaxPlayers,
    };

    private void Write(Dictionary<string, object?> fields)
    {
        var line = JsonSerializer.Serialize(fields);
        lock (_gate)
        {
            stdout.WriteLine(line);
            stdout.Flush();
        }
    }
}
