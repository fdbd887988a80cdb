using System.Text.Json;
using Matchmaker.Tests.EndToEnd;

namespace Matchmaker.Tests.NatLab;

/// <summary>RFC 5780 classification by the SDK (<c>mm nat</c>) equals the class each lab router was built to have.</summary>
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
    public async Task Mm_nat_reports_the_class_the_router_was_built_with(string host)
    {
        var key = "NATLAB_" + host.Replace('-', '_').ToUpperInvariant();
        await using var nat = CliProcess.StartWrapped(lab.In(host), "nat", "--server", lab.Gateway, "--json");

        Assert.Equal(0, await nat.WaitForExitAsync());
        using var report = JsonDocument.Parse(nat.Transcript.Split('\n').First(line => line.StartsWith('{')));

        Assert.Equal(Expected(lab.Env[key + "_MAPPING"]), report.RootElement.GetProperty("mapping").GetString());
        Assert.Equal(Expected(lab.Env[key + "_FILTERING"]), report.RootElement.GetProperty("filtering").GetString());
        Assert.StartsWith(lab.Env[key + "_PUBLIC_IP4"] + ":", report.RootElement.GetProperty("mapped").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A host without NAT behaves endpoint-independently in both respects.</summary>
    private static string Expected(string built) => built == "none" ? "endpoint-independent" : built;
}
