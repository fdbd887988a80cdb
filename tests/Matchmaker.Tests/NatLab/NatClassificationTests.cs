using System.Text.Json;
using Matchmaker.Tests.EndToEnd;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// RFC 5780 classification by the SDK (<c>mm nat</c>) equals the class each lab router was built to have:
/// against the two-IP silo, against a cluster of one-IP gateway nodes that answer change-IP for each other,
/// and in agreement with coturn's <c>turnutils_natdiscovery</c> run against the project's own gateway.
/// IPv6 and UPnP are reported exactly where the lab provides them.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class NatClassificationTests(NatLabFixture lab)
{
    public static TheoryData<string> Hosts => ["public", "full-cone", "addr-restricted", "port-restricted", "symmetric", "upnp", "hairpin-a"];

    public static TheoryData<string> HostsWithIpv6Pair => [.. Hosts, "v6-a", "v6-b"];

    [Theory]
    [MemberData(nameof(HostsWithIpv6Pair))]
    public async Task Mm_nat_reports_the_class_the_router_was_built_with(string host)
    {
        var root = await MmNatAsync(host, lab.Gateway);

        AssertBuiltClass(host, root.GetProperty("mapping").GetString(), root.GetProperty("filtering").GetString());
        Assert.StartsWith(Built(host, "PUBLIC_IP4") + ":", root.GetProperty("mapped").GetString(), StringComparison.Ordinal);

        // IPv6: exactly the hosts the lab gave a global IPv6 address, seen by the gateway at that address.
        var ipv6 = lab.Env.TryGetValue(Key(host) + "_IP6", out var ip6);
        Assert.Equal(ipv6, root.GetProperty("ipv6").GetBoolean());
        if (ipv6)
        {
            Assert.StartsWith($"[{ip6}]:", root.GetProperty("public6").GetString(), StringComparison.Ordinal);
        }

        // UPnP: only behind the miniupnpd router, with a mapping on its WAN address.
        var upnp = Built(host, "UPNP") == "1";
        Assert.Equal(upnp, root.GetProperty("upnp").GetBoolean());
        Assert.False(root.GetProperty("openPort").GetBoolean());
        if (upnp)
        {
            Assert.StartsWith(Built(host, "PUBLIC_IP4") + ":", root.GetProperty("listen").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Mm_nat_through_two_one_ip_gateway_nodes_reports_the_built_class(string host)
    {
        var root = await MmNatAsync(host, await lab.OneIpGatewayAsync());

        AssertBuiltClass(host, root.GetProperty("mapping").GetString(), root.GetProperty("filtering").GetString());
        Assert.StartsWith(Built(host, "PUBLIC_IP4") + ":", root.GetProperty("mapped").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Turnutils_natdiscovery_against_our_gateway_reports_the_built_class_and_mm_nat_agrees(string host)
    {
        // natlab.sh natdiscovery judges coturn's output exactly as the lab's self-check does.
        var line = (await NatLabFixture.RunAsync("bash", lab.Script, "natdiscovery", host, lab.Env["NATLAB_GW_IP4"], lab.Env["NATLAB_STUN_PORT"])).Trim();
        var coturn = line.Split(' ').Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        var ours = await MmNatAsync(host, lab.Gateway);

        AssertBuiltClass(host, coturn["mapping"], coturn["filtering"]);
        Assert.Equal((coturn["mapping"], coturn["filtering"]), (ours.GetProperty("mapping").GetString(), ours.GetProperty("filtering").GetString()));
        Assert.StartsWith(Built(host, "PUBLIC_IP4") + ":", coturn["reflexive"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mm_nat_behind_the_UPnP_router_leaves_no_mapping_behind()
    {
        await using var nat = CliProcess.StartWrapped(lab.In("upnp"), "nat", "--server", lab.Gateway, "--json");

        Assert.Equal(0, await nat.WaitForExitAsync());
        using var report = JsonDocument.Parse(nat.Transcript.Split('\n').First(line => line.StartsWith('{')));
        var listen = report.RootElement.GetProperty("listen").GetString()!;

        Assert.DoesNotContain(await lab.UpnpMappingsAsync(), m => m.ExternalPort == Port(listen));
    }

    [Fact]
    public async Task Mm_nat_with_no_upnp_and_a_declared_open_port_reports_the_declaration()
    {
        await using var nat = CliProcess.StartWrapped(lab.In("upnp"), "nat", "--server", lab.Gateway, "--json", "--port", "22999", "--open-port", "32999", "--no-upnp");

        Assert.Equal(0, await nat.WaitForExitAsync());
        using var report = JsonDocument.Parse(nat.Transcript.Split('\n').First(line => line.StartsWith('{')));

        Assert.False(report.RootElement.GetProperty("upnp").GetBoolean());
        Assert.True(report.RootElement.GetProperty("openPort").GetBoolean());
        Assert.Equal($"{lab.Env["NATLAB_UPNP_PUBLIC_IP4"]}:32999", report.RootElement.GetProperty("listen").GetString());
    }

    private void AssertBuiltClass(string host, string? mapping, string? filtering)
    {
        Assert.Equal(Expected(Built(host, "MAPPING")), mapping);
        Assert.Equal(Expected(Built(host, "FILTERING")), filtering);
    }

    private static string Key(string host) => "NATLAB_" + host.Replace('-', '_').ToUpperInvariant();

    private string Built(string host, string key) => lab.Env[Key(host) + "_" + key];

    private async Task<JsonElement> MmNatAsync(string host, string server)
    {
        await using var nat = CliProcess.StartWrapped(lab.In(host), "nat", "--server", server, "--json");
        Assert.Equal(0, await nat.WaitForExitAsync());
        using var report = JsonDocument.Parse(nat.Transcript.Split('\n').First(line => line.StartsWith('{')));
        return report.RootElement.Clone();
    }

    /// <summary>A host without NAT behaves endpoint-independently in both respects.</summary>
    private static string Expected(string built) => built == "none" ? "endpoint-independent" : built;

    private static int Port(string endpoint) => int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
