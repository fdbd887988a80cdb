using System.CommandLine;
using System.Text.Json;
using Matchmaker.Client;
using Spectre.Console;

namespace Matchmaker.Cli;

/// <summary><c>mm nat --server HOST:PORT [--json]</c>: RFC 5780 behaviour discovery against the gateway.</summary>
internal static class NatCommand
{
    public static Command Create()
    {
        var server = CommonOptions.Server();
        var json = CommonOptions.Json();
        var command = new Command("nat", "Measure this network's NAT mapping and filtering behaviour (RFC 5780).") { server, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var endpoint = await CommonOptions.ResolveAsync(parse.GetRequiredValue(server), cancellationToken);
                var report = await MatchmakerClient.ProbeNatAsync(new MatchmakerClientOptions { Server = endpoint }, cancellationToken);
                if (parse.GetValue(json))
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                    {
                        ["mapped"] = report.Mapped.ToString(),
                        ["mapping"] = report.Mapping.ToWireName(),
                        ["filtering"] = report.Filtering.ToWireName(),
                        ["ipv6"] = report.Ipv6,
                        ["upnp"] = report.Upnp,
                    }));
                }
                else
                {
                    var table = new Table().AddColumns("", "");
                    table.AddRow("Public address", report.Mapped.ToString());
                    table.AddRow("Mapping", report.Mapping.ToWireName());
                    table.AddRow("Filtering", report.Filtering.ToWireName());
                    AnsiConsole.Write(table);
                }

                return CliRun.Success;
            }
            catch (MatchmakerException exception)
            {
                var output = parse.GetValue(json) ? (IEventOutput)new JsonEventOutput(Console.Out) : new ConsoleEventOutput(AnsiConsole.Console);
                output.Error(exception.Code, exception.Message);
                return CliRun.Failure;
            }
        });
        return command;
    }
}
