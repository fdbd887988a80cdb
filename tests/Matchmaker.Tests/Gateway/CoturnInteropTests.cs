using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Gateway;

/// <summary>A third-party STUN client (coturn's turnutils_stunclient) against the real gateway.</summary>
[Collection(SiloCollection.Name)]
public sealed partial class CoturnInteropTests(SiloFixture silo)
{
    [Fact]
    public async Task Turnutils_stunclient_gets_the_right_mapped_address_and_completes_rfc5780()
    {
        // Binding from a distinctive loopback address proves the reflexive address is read from the packet.
        var output = await RunAsync("turnutils_stunclient", "-L", "127.0.0.9", "-p", silo.Gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1");

        var reflexive = IPEndPoint.Parse(Reflexive().Match(output).Groups[1].Value);
        Assert.Equal(IPAddress.Parse("127.0.0.9"), reflexive.Address);
        Assert.NotEqual(0, reflexive.Port);
        Assert.Contains($"Other addr: : {silo.AlternateBoth}", output, StringComparison.Ordinal);
        Assert.Contains("RFC 5780 response 3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turnutils_natdiscovery_finds_loopback_endpoint_independent_and_mm_nat_agrees()
    {
        var port = silo.Gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var coturn = await RunAsync("turnutils_natdiscovery", "-m", "-f", "-p", port, "127.0.0.1");
        await using var mm = EndToEnd.CliProcess.Start("nat", "--server", silo.Gateway.ToString(), "--json");
        Assert.Equal(0, await mm.WaitForExitAsync());
        using var ours = System.Text.Json.JsonDocument.Parse(mm.Transcript.Split('\n').First(l => l.StartsWith('{')));

        Assert.Contains("NAT with Endpoint Independent Mapping!", coturn, StringComparison.Ordinal);
        Assert.Contains("NAT with Endpoint Independent Filtering!", coturn, StringComparison.Ordinal);
        Assert.Equal("endpoint-independent", ours.RootElement.GetProperty("mapping").GetString());
        Assert.Equal("endpoint-independent", ours.RootElement.GetProperty("filtering").GetString());
        Assert.StartsWith("127.0.0.1:", ours.RootElement.GetProperty("mapped").GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish. Output:\n{await stdout}{await stderr}");
        }

        return await stdout + await stderr;
    }

    [GeneratedRegex(@"UDP reflexive addr: (\S+)")]
    private static partial Regex Reflexive();
}
