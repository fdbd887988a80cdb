using System.Text.Json;
using Matchmaker.Tests.EndToEnd;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// RFC 5780 classification by the SDK (<c>mm nat</c>) equals the class each lab router was built to have:
/// against the two-IP silo, against a cluster of one-IP gateway nodes that answer change-IP for each other,
/// and in agreement with coturn's <c>turnutils_natdiscovery</c> run against the project's own gateway.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class NatClassificationTests(NatLabFixture lab)
{
    public static TheoryData<string> Hosts => ["public", "full-cone", "addr-restricted", "port-restricted", "symmetric", "upnp", "hairpin-a"];

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Mm_nat_reports_the_class_the_router_was_built_with(string host)
    {
        var report = await MmNatAsync(host, lab.Gateway);

        AssertBuiltClass(host, report.Mapping, report.Filtering);
        Assert.StartsWith(Built(host, "PUBLIC_IP4") + ":", report.Mapped, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Mm_nat_through_two_one_ip_gateway_nodes_reports_the_built_class(string host)
    {
        var report = await MmNatAsync(host, await lab.OneIpGatewayAsync());

        AssertBuiltClass(host, report.Mapping, report.Filtering);
        Assert.StartsWith(Built(host, "PUBLIC_IP4") + ":", report.Mapped, StringComparison.Ordinal);
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
        Assert.Equal((coturn["mapping"], coturn["filtering"]), (ours.Mapping, ours.Filtering));
        Assert.StartsWith(Built(host, "PUBLIC_IP4") + ":", coturn["reflexive"], StringComparison.Ordinal);
    }

    private void AssertBuiltClass(string host, string? mapping, string? filtering)
    {
        Assert.Equal(Expected(Built(host, "MAPPING")), mapping);
        Assert.Equal(Expected(Built(host, "FILTERING")), filtering);
    }

    private string Built(string host, string key) => lab.Env["NATLAB_" + host.Replace('-', '_').ToUpperInvariant() + "_" + key];

    private async Task<(string? Mapped, string? Mapping, string? Filtering)> MmNatAsync(string host, string server)
    {
        await using var nat = CliProcess.StartWrapped(lab.In(host), "nat", "--server", server, "--json");
        Assert.Equal(0, await nat.WaitForExitAsync());
        using var report = JsonDocument.Parse(nat.Transcript.Split('\n').First(line => line.StartsWith('{')));
        var root = report.RootElement;
        return (root.GetProperty("mapped").GetString(), root.GetProperty("mapping").GetString(), root.GetProperty("filtering").GetString());
    }

    /// <summary>A host without NAT behaves endpoint-independently in both respects.</summary>
    private static string Expected(string built) => built == "none" ? "endpoint-independent" : built;
}
