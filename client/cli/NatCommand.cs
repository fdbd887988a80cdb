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
        var network = new NetworkOptions();
        var command = new Command("nat", "Measure this network's NAT behaviour (RFC 5780), IPv6 reachability and UPnP.") { server, json };
        network.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var endpoint = await CommonOptions.ResolveAsync(parse.GetRequiredValue(server), cancellationToken);
                var report = await MatchmakerClient.ProbeNatAsync(network.ToClientOptions(parse, endpoint), cancellationToken);
                if (parse.GetValue(json))
                {
                    var fields = new Dictionary<string, object?>
                    {
                        ["mapped"] = report.Mapped.ToString(),
                        ["mapping"] = report.Mapping.ToWireName(),
                        ["filtering"] = report.Filtering.ToWireName(),
                        ["ipv6"] = report.Ipv6,
                        ["upnp"] = report.Upnp,
                        ["openPort"] = report.OpenPort,
                    };
                    AddIfPresent(fields, "public6", report.Ipv6EndPoint?.ToString());
                    AddIfPresent(fields, "listen", report.ListenEndPoint?.ToString());
                    AddIfPresent(fields, "upnpError", report.UpnpError);
                    Console.Out.WriteLine(JsonSerializer.Serialize(fields));
                }
                else
                {
                    var table = new Table().AddColumns("", "");
                    table.AddRow("Public address", report.Mapped.ToString());
                    table.AddRow("Mapping", report.Mapping.ToWireName());
                    table.AddRow("Filtering", report.Filtering.ToWireName());
                    table.AddRow("IPv6", Markup.Escape(report.Ipv6EndPoint?.ToString() ?? "no"));
                    table.AddRow("UPnP", Markup.Escape(report.Upnp ? $"mapped {report.ListenEndPoint} (deleted again)" : report.UpnpError ?? "no IGD found"));
                    table.AddRow("Open port", Markup.Escape(report.OpenPort ? $"declared {report.ListenEndPoint}" : "no"));
                    AnsiConsole.Write(table);
                }

                return CliRun.Success;
            }
            catch (MatchmakerException exception)
            {
                Output(parse, json).Error(exception.Code, exception.Message);
                return CliRun.Failure;
            }
            catch (ArgumentException exception)
            {
                Output(parse, json).Error("bad-argument", exception.Message);
                return CliRun.BadArguments;
            }
        });
        return command;
    }

    private static IEventOutput Output(ParseResult parse, Option<bool> json) =>
        parse.GetValue(json) ? new JsonEventOutput(Console.Out) : new ConsoleEventOutput(AnsiConsole.Console);

    private static void AddIfPresent(Dictionary<string, object?> fields, string name, string? value)
    {
        if (value is not null)
        {
            fields[name] = value;
        }
    }
}
