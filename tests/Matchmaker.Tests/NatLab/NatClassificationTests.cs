using System.Text.Json;
using Matchmaker.Tests.EndToEnd;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// RFC 5780 classification by the SDK (<c>mm nat</c>) equals the class each lab router was built to have;
/// IPv6 and UPnP are reported exactly where the lab provides them.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class NatClassificationTests(NatLabFixture lab)
{
    [Theory]
    [InlineData("public")]
    [InlineData("full-cone")]
    [InlineData("addr-restricted")]
    [InlineData("port-restricted")]
    [InlineData("symmetric")]
    [InlineData("upnp")]
    [InlineData("hairpin-a")]
    [InlineData("v6-a")]
    [InlineData("v6-b")]
    public async Task Mm_nat_reports_the_class_the_router_was_built_with(string host)
    {
        var key = "NATLAB_" + host.Replace('-', '_').ToUpperInvariant();
        await using var nat = CliProcess.StartWrapped(lab.In(host), "nat", "--server", lab.Gateway, "--json");

        Assert.Equal(0, await nat.WaitForExitAsync());
        using var report = JsonDocument.Parse(nat.Transcript.Split('\n').First(line => line.StartsWith('{')));
        var root = report.RootElement;

        Assert.Equal(Expected(lab.Env[key + "_MAPPING"]), root.GetProperty("mapping").GetString());
        Assert.Equal(Expected(lab.Env[key + "_FILTERING"]), root.GetProperty("filtering").GetString());
        Assert.StartsWith(lab.Env[key + "_PUBLIC_IP4"] + ":", root.GetProperty("mapped").GetString(), StringComparison.Ordinal);

        // IPv6: exactly the hosts the lab gave a global IPv6 address, seen by the gateway at that address.
        var ipv6 = lab.Env.TryGetValue(key + "_IP6", out var ip6);
        Assert.Equal(ipv6, root.GetProperty("ipv6").GetBoolean());
        if (ipv6)
        {
            Assert.StartsWith($"[{ip6}]:", root.GetProperty("public6").GetString(), StringComparison.Ordinal);
        }

        // UPnP: only behind the miniupnpd router, with a mapping on its WAN address.
        var upnp = lab.Env[key + "_UPNP"] == "1";
        Assert.Equal(upnp, root.GetProperty("upnp").GetBoolean());
        Assert.False(root.GetProperty("openPort").GetBoolean());
        if (upnp)
        {
            Assert.StartsWith(lab.Env[key + "_PUBLIC_IP4"] + ":", root.GetProperty("listen").GetString(), StringComparison.Ordinal);
        }
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

    /// <summary>A host without NAT behaves endpoint-independently in both respects.</summary>
    private static string Expected(string built) => built == "none" ? "endpoint-independent" : built;

    private static int Port(string endpoint) => int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
