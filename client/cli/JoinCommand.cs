using System.CommandLine;

namespace Matchmaker.Cli;

/// <summary><c>mm join CODE --server HOST:PORT [--json]</c></summary>
internal static class JoinCommand
{
    public static Command Create()
    {
        var server = CommonOptions.Server();
        var json = CommonOptions.Json();
        var network = new NetworkOptions();
        var code = new Argument<string>("code") { Description = "The lobby code the host shared." };
        var command = new Command("join", "Join a lobby by code and connect directly to its players.") { code, server, json };
        network.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliRun.ExecuteAsync(parse, server, json, network, async (client, output, token) =>
        {
            var lobby = await client.JoinAsync(parse.GetRequiredValue(code), token);
            output.LobbyJoined(lobby);
            return await new PeerSessionRunner(client, output, isJoiner: true).RunAsync(token);
        }, cancellationToken));
        return command;
    }
}
