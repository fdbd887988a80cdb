using System.CommandLine;

namespace Matchmaker.Cli;

/// <summary><c>mm host --server HOST:PORT --name NAME [--max-players N] [--json]</c></summary>
internal static class HostCommand
{
    public static Command Create()
    {
        var server = CommonOptions.Server();
        var json = CommonOptions.Json();
        var network = new NetworkOptions();
        var name = new Option<string>("--name") { Description = "Lobby name shown in lists.", Required = true };
        var maxPlayers = new Option<int>("--max-players") { Description = "Capacity including the host, 2 to 16.", DefaultValueFactory = _ => 8 };
        var command = new Command("host", "Open a lobby and print its code; peers who join connect directly.") { server, name, maxPlayers, json };
        network.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliRun.ExecuteAsync(parse, server, json, network, async (client, output, token) =>
        {
            var lobby = await client.HostAsync(parse.GetRequiredValue(name), parse.GetValue(maxPlayers), token);
            output.LobbyHosted(lobby);
            return await new PeerSessionRunner(client, output, isJoiner: false).RunAsync(token);
        }, cancellationToken));
        return command;
    }
}
