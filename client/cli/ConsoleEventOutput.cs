using Matchmaker.Client;
using Matchmaker.Protocol.Control;
using Spectre.Console;

namespace Matchmaker.Cli;

/// <summary>The human display: coloured status lines and tables on the terminal.</summary>
internal sealed class ConsoleEventOutput(IAnsiConsole console) : IEventOutput
{
    public void Registered(MatchmakerClient client)
    {
        console.MarkupLineInterpolated($"[grey]Registered; the gateway sees you at[/] [bold]{client.PublicEndPoint}[/]");
        if (client.Ipv6EndPoint is { } public6)
        {
            console.MarkupLineInterpolated($"[grey]IPv6 peers reach you at[/] [bold]{public6}[/]");
        }

        if (client.ListenEndPoint is { } listen)
        {
            console.MarkupLineInterpolated($"[grey]Listening for peers at[/] [bold]{listen}[/] [grey]({(client.UpnpMapping is null ? "open port" : "UPnP mapping")})[/]");
        }
    }

    public void LobbyHosted(LobbyInfo lobby)
    {
        console.Write(new Panel(new Markup($"[bold yellow]{lobby.Code}[/]"))
            .Header(Markup.Escape($"Lobby '{lobby.Name}' — share this code"))
            .Border(BoxBorder.Rounded));
        console.MarkupLine("[grey]Waiting for players. Lines you type are sent to every connected peer. Ctrl+C to end the lobby.[/]");
    }

    public void LobbyJoined(LobbyInfo lobby) =>
        console.MarkupLineInterpolated($"[green]Joined[/] [bold]{lobby.Name}[/] ({lobby.Players}/{lobby.MaxPlayers}); punching through to the other players...");

    public void LobbyListed(IReadOnlyList<LobbyInfo> lobbies)
    {
        if (lobbies.Count == 0)
        {
            console.MarkupLine("[grey]No open lobbies.[/]");
            return;
        }

        var table = new Table().AddColumns("Code", "Name", "Players");
        foreach (var lobby in lobbies)
        {
            table.AddRow(Markup.Escape(lobby.Code), Markup.Escape(lobby.Name), $"{lobby.Players}/{lobby.MaxPlayers}");
        }

        console.Write(table);
    }

    public void Queued(string mode, int size, string? region) =>
        console.MarkupLineInterpolated($"[grey]Queued for[/] [bold]{mode}[/] ({size} players, region {region ?? "any"}); waiting for players you can reach directly...");

    public void Matched(string code, IReadOnlyList<Guid> players) =>
        console.MarkupLineInterpolated($"[green]Matched[/] into lobby [bold]{code}[/] with {players.Count} players; punching through...");

    public void Connected(PeerConnection peer) =>
        console.MarkupLineInterpolated($"[green]Connected[/] to {Short(peer)} via [bold]{peer.Method.ToWireName()}[/] at {peer.RemoteEndPoint}");

    public void Message(PeerConnection peer, string text) =>
        console.MarkupLineInterpolated($"[cyan]{Short(peer)}[/]: {text}");

    public void Disconnected(PeerConnection peer, string reason) =>
        console.MarkupLineInterpolated($"[yellow]{Short(peer)} disconnected[/] ({reason})");

    public void LobbyClosed(string code, string reason) =>
        console.MarkupLineInterpolated($"[yellow]Lobby {code} closed[/] ({reason})");

    public void Error(string code, string message) =>
        console.MarkupLineInterpolated($"[red]Error {code}:[/] {message}");

    private static string Short(PeerConnection peer) => peer.PeerId.ToString("N")[..8];
}
