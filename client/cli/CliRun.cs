using System.CommandLine;
using Matchmaker.Client;
using Spectre.Console;

namespace Matchmaker.Cli;

/// <summary>What every verb does around its own work: pick the output, connect, and turn failures into an error event and exit code.</summary>
internal static class CliRun
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadArguments = 2;

    public static async Task<int> ExecuteAsync(
        ParseResult parse,
        Option<string> server,
        Option<bool> json,
        NetworkOptions? network,
        Func<MatchmakerClient, IEventOutput, CancellationToken, Task<int>> work,
        CancellationToken cancellationToken)
    {
        var output = parse.GetValue(json) ? (IEventOutput)new JsonEventOutput(Console.Out) : new ConsoleEventOutput(AnsiConsole.Console);
        try
        {
            var endpoint = await CommonOptions.ResolveAsync(parse.GetRequiredValue(server), cancellationToken);
            // Listing needs no inbound path, so it maps no UPnP port.
            var options = network?.ToClientOptions(parse, endpoint) ?? new MatchmakerClientOptions { Server = endpoint, Upnp = false };
            await using var client = await ConnectAsync(options, parse.GetValue(json), cancellationToken);
            output.Registered(client);
            return await work(client, output, cancellationToken);
        }
        catch (MatchmakerException exception)
        {
            output.Error(exception.Code, exception.Message);
            return Failure;
        }
        catch (ArgumentException exception)
        {
            output.Error("bad-argument", exception.Message);
            return BadArguments;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Success;
        }
    }

    private static Task<MatchmakerClient> ConnectAsync(MatchmakerClientOptions options, bool json, CancellationToken cancellationToken) =>
        json || !AnsiConsole.Profile.Capabilities.Interactive
            ? MatchmakerClient.ConnectAsync(options, cancellationToken)
            : AnsiConsole.Status().StartAsync($"Registering with {options.Server}...", _ => MatchmakerClient.ConnectAsync(options, cancellationToken));
}
