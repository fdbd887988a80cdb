using System.CommandLine;

namespace Matchmaker.Cli;

/// <summary><c>mm list --server HOST:PORT [--json]</c></summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var server = CommonOptions.Server();
        var json = CommonOptions.Json();
        var command = new Command("list", "List public lobbies that have room.") { server, json };
        command.SetAction((parse, cancellationToken) => CliRun.ExecuteAsync(parse, server, json, network: null, async (client, output, token) =>
        {
            output.LobbyListed(await client.ListLobbiesAsync(token));
            return CliRun.Success;
        }, cancellationToken));
        return command;
    }
}
