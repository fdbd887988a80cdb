using System.Globalization;
using System.Text;
using Matchmaker.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// Every pair of lab hosts (host side × join side) runs a lobby host/join end to end through real NATs,
/// with a message each way; the method (a relay where no direct path exists) must be what the connection plan
/// predicts, and an <c>ipv6</c> connection must really run over IPv6.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class ConnectionMatrixTests(NatLabFixture lab, ITestOutputHelper output)
{
    /// <summary>Pairs run this many at a time: each is two processes that mostly wait on the network.</summary>
    private const int Parallelism = 3;

    private const string OpenPortSide = "upnp+open-port";

    private static readonly string[] Hosts = ["public", "full-cone", "addr-restricted", "port-restricted", "symmetric", "upnp", "v6-a", "v6-b"];

    /// <summary>Hosts with a global IPv6 address (the lab's dual-stack hosts and the public host).</summary>
    private static readonly string[] Ipv6Hosts = ["public", "v6-a", "v6-b"];

    /// <summary>Behind a NAT whose filter lets any port of an address it sent to in (EIF or ADF), or no NAT.</summary>
    private static readonly string[] OpenFilterCones = ["public", "full-cone", "addr-restricted"];

    /// <summary>Behind a NAT that maps per destination (address and port dependent).</summary>
    private static readonly string[] Symmetric = ["symmetric", "symmetric-b"];

    [Fact]
    public async Task Every_pair_connects_by_the_planned_method_through_a_relay_where_no_direct_path_exists()
    {
        var pairs = Hosts.SelectMany(host => Hosts.Where(join => join != host).Select(join => (host, join)))
            .Append((host: "hairpin-a", join: "hairpin-b"))
            .Append((host: "symmetric", join: "symmetric-b"))
            .Append((host: OpenPortSide, join: "symmetric"))
            .Append((host: "symmetric", join: OpenPortSide))
            .ToList();
        using var gate = new SemaphoreSlim(Parallelism);
        var results = await Task.WhenAll(pairs.Select(async (pair, index) =>
        {
            await gate.WaitAsync();
            try
            {
                return (Host: pair.host, Join: pair.join, Expected: Expected(pair.host, pair.join), Actual: await RunPairAsync(pair.host, pair.join, index));
            }
            finally
            {
                gate.Release();
            }
        }));

        var table = Render(results);
        output.WriteLine(table);
        Assert.All(results, r => Assert.True(r.Expected == r.Actual, $"{r.Host} x {r.Join}: expected {r.Expected}, got {r.Actual}\n{table}"));
    }

    /// <summary>The connection plan from theory (DESIGN.md order), stated independently of the planner's code.</summary>
    private static string Expected(string host, string join)
    {
        if (host.StartsWith("hairpin", StringComparison.Ordinal))
        {
            return "lan";
        }

        if (Ipv6Hosts.Contains(host) && Ipv6Hosts.Contains(join))
        {
            return "ipv6";
        }

        // Every router but the symmetric ones maps endpoint-independently (the UPnP router is port-restricted).
        if (!Symmetric.Contains(host) && !Symmetric.Contains(join))
        {
            return "direct";
        }

        // No punch gets through two symmetric NATs, and one gets through a symmetric NAT only when the other
        // side's filter lets an unknown port in or that side listens: every other pair goes through a relay.
        var other = Symmetric.Contains(host) ? join : host;
        return other switch
        {
            _ when Symmetric.Contains(other) => "relay",
            _ when OpenFilterCones.Contains(other) => "cone-to-symmetric",
            OpenPortSide => "open-port",
            "upnp" => "upnp",
            _ => "relay",
        };
    }

    private async Task<string> RunPairAsync(string host, string join, int index)
    {
        // A declared open port: the router forwards an external port to the client's fixed local port. The
        // forward is made with a third-party tool (miniupnpc's upnpc) as a user's router page would, and the
        // client itself is told not to use UPnP, so only the declaration can explain the connection.
        var localPort = 21000 + index;
        var externalPort = 31000 + index;
        var openSide = host == OpenPortSide || join == OpenPortSide;
        if (openSide)
        {
            await lab.UpnpcAsync("-a", lab.Env["NATLAB_UPNP_IP4"], Port(localPort), Port(externalPort), "udp");
        }

        try
        {
            // The side that is not open must have reached the open side at the forwarded port.
            var forwarded = $"{lab.Env["NATLAB_UPNP_PUBLIC_IP4"]}:{externalPort}";
            return await ConnectAsync(
                (Namespace(host), Arguments(host, localPort, externalPort)),
                (Namespace(join), Arguments(join, localPort, externalPort)),
                host,
                join,
                joinerMustReach: host == OpenPortSide ? forwarded : null,
                hostMustReach: join == OpenPortSide ? forwarded : null);
        }
        finally
        {
            if (openSide)
            {
                await lab.UpnpcAsync("-d", Port(externalPort), "udp");
            }
        }
    }

    private async Task<string> ConnectAsync(
        (string Ns, string[] Args) host,
        (string Ns, string[] Args) join,
        string hostLabel,
        string joinLabel,
        string? joinerMustReach = null,
        string? hostMustReach = null)
    {
        await using var hosting = CliProcess.StartWrapped(lab.In(host.Ns), ["host", "--server", lab.Gateway, "--name", $"{hostLabel} hosts", "--max-players", "2", "--json", .. host.Args]);
        var code = (await hosting.WaitForEventAsync("lobby")).GetProperty("code").GetString()!;
        await using var joining = CliProcess.StartWrapped(lab.In(join.Ns), ["join", code, "--server", lab.Gateway, "--json", .. join.Args]);
        var first = await joining.WaitForEventAsync(["connected", "error"]);
        if (first.GetProperty("event").GetString() == "error")
        {
            return first.GetProperty("code").GetString()!;
        }

        var method = first.GetProperty("method").GetString()!;
        var hostSide = await hosting.WaitForEventAsync("connected");
        await hosting.SendLineAsync($"from {hostLabel}");
        await joining.SendLineAsync($"from {joinLabel}");
        var atJoiner = (await joining.WaitForEventAsync("message")).GetProperty("text").GetString();
        var atHost = (await hosting.WaitForEventAsync("message")).GetProperty("text").GetString();
        if (atJoiner != $"from {hostLabel}" || atHost != $"from {joinLabel}" || hostSide.GetProperty("method").GetString() != method)
        {
            return $"{method} (host side: {hostSide.GetProperty("method").GetString()}, messages: '{atJoiner}', '{atHost}')";
        }

        // The ipv6 plan must really punch over IPv6, on both sides; an open port must be where the other side connected.
        var atJoinerFrom = first.GetProperty("endpoint").GetString()!;
        var atHostFrom = hostSide.GetProperty("endpoint").GetString()!;
        if (method == "ipv6" && !(atJoinerFrom.StartsWith('[') && atHostFrom.StartsWith('[')))
        {
            return $"ipv6 over {atJoinerFrom} / {atHostFrom}";
        }

        if ((joinerMustReach is not null && joinerMustReach != atJoinerFrom) || (hostMustReach is not null && hostMustReach != atHostFrom))
        {
            return $"{method} via {atJoinerFrom} / {atHostFrom}";
        }

        return method;
    }

    private static string Namespace(string side) => side == OpenPortSide ? "upnp" : side;

    private static string[] Arguments(string side, int localPort, int externalPort) => side == OpenPortSide
        ? ["--port", Port(localPort), "--open-port", Port(externalPort), "--no-upnp"]
        : [];

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The result as a host × joiner grid (mismatches marked), followed by one line per pair.</summary>
    private static string Render(IReadOnlyList<(string Host, string Join, string Expected, string Actual)> results)
    {
        var sides = Hosts.Concat(results.Select(r => r.Host)).Concat(results.Select(r => r.Join)).Distinct().ToList();
        const int Width = 18;
        var grid = new StringBuilder().Append("host \\ joiner".PadRight(Width));
        foreach (var join in sides)
        {
            grid.Append(join.PadRight(Width));
        }

        grid.AppendLine();
        foreach (var host in sides.Where(h => results.Any(r => r.Host == h)))
        {
            grid.Append(host.PadRight(Width));
            foreach (var join in sides)
            {
                var cell = results.FirstOrDefault(r => r.Host == host && r.Join == join);
                var text = cell.Host is null ? "-" : cell.Expected == cell.Actual ? cell.Actual : $"!{cell.Actual}";
                grid.Append((text.Length >= Width ? text[..(Width - 2)] + "…" : text).PadRight(Width));
            }

            grid.AppendLine();
        }

        grid.AppendLine().AppendLine($"{"host",-16} {"joiner",-16} {"expected",-18} actual");
        foreach (var (host, join, expected, actual) in results)
        {
            grid.AppendLine($"{host,-16} {join,-16} {expected,-18} {actual}{(expected == actual ? string.Empty : "   <-- MISMATCH")}");
        }

        return grid.ToString();
    }
}
