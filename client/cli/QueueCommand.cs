using System.CommandLine;

namespace Matchmaker.Cli;

/// <summary><c>mm queue --server HOST:PORT --mode MODE [--size N] [--region R] [--json]</c></summary>
internal static class QueueCommand
{
    public static Command Create()
    {
        var server = CommonOptions.Server();
        var json = CommonOptions.Json();
        var network = new NetworkOptions();
        var mode = new Option<string>("--mode") { Description = "Game mode to be matched in (a-z, 0-9, '-', '_', '.').", Required = true };
        var size = new Option<int>("--size") { Description = "Players per match, 2–16.", DefaultValueFactory = _ => 2 };
        var region = new Option<string?>("--region") { Description = "Preferred region; after a while other regions are searched too. Default: any." };
        var command = new Command("queue", "Wait for a match with players you can reach directly, then connect to them.") { server, mode, size, region, json };
        network.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliRun.ExecuteAsync(parse, server, json, network, async (client, output, token) =>
        {
            var spec = (Mode: parse.GetRequiredValue(mode), Size: parse.GetValue(size), Region: parse.GetValue(region));
            await client.QueueAsync(spec.Mode, spec.Size, spec.Region, token);
            output.Queued(spec.Mode, spec.Size, spec.Region);
            return await new PeerSessionRunner(client, output, isJoiner: true).RunAsync(token);
        }, cancellationToken));
        return command;
    }
}
