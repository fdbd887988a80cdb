using System.Globalization;
using System.Text.Json;
using Matchmaker.Tests.EndToEnd;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// The SDK's UPnP IGD client against a real miniupnpd: the mapping exists on the router while the player is
/// connected through it, and is gone once the client stops — however it stops. A third-party client
/// (miniupnpc's <c>upnpc -l</c>) reads the router's table.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class UpnpMappingTests(NatLabFixture lab)
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task The_mapping_exists_while_connected_and_is_gone_after_mm_is_stopped_by_a_signal(string signal)
    {
        await using var hosting = CliProcess.StartWrapped(lab.In("upnp"), "host", "--server", lab.Gateway, "--name", "upnp", "--max-players", "2", "--json");
        var listen = ListenPort(await hosting.WaitForEventAsync("registered"));
        var code = (await hosting.WaitForEventAsync("lobby")).GetProperty("code").GetString()!;
        await using var joining = CliProcess.StartWrapped(lab.In("symmetric"), "join", code, "--server", lab.Gateway, "--json");

        Assert.Equal("upnp", (await joining.WaitForEventAsync(["connected", "error"])).GetProperty("method").GetString());
        Assert.Equal("upnp", (await hosting.WaitForEventAsync("connected")).GetProperty("method").GetString());
        AssertOurs(Assert.Single(await lab.UpnpMappingsAsync(), m => m.ExternalPort == listen));

        await hosting.SignalAsync(signal);

        Assert.Equal(0, await hosting.WaitForExitAsync());
        Assert.DoesNotContain(await lab.UpnpMappingsAsync(), m => m.ExternalPort == listen);
    }

    [Fact]
    public async Task The_mapping_is_gone_after_the_client_ends_on_its_own()
    {
        await using var hosting = CliProcess.StartWrapped(lab.In("symmetric"), "host", "--server", lab.Gateway, "--name", "symmetric", "--max-players", "2", "--json");
        var code = (await hosting.WaitForEventAsync("lobby")).GetProperty("code").GetString()!;
        await using var joining = CliProcess.StartWrapped(lab.In("upnp"), "join", code, "--server", lab.Gateway, "--json");
        var listen = ListenPort(await joining.WaitForEventAsync("registered"));

        Assert.Equal("upnp", (await joining.WaitForEventAsync(["connected", "error"])).GetProperty("method").GetString());
        AssertOurs(Assert.Single(await lab.UpnpMappingsAsync(), m => m.ExternalPort == listen));

        // The host leaves; the joiner then ends by itself and disposes its client (no signal involved).
        await hosting.SignalAsync("TERM");

        Assert.Equal(0, await joining.WaitForExitAsync());
        Assert.DoesNotContain(await lab.UpnpMappingsAsync(), m => m.ExternalPort == listen);
    }

    [Fact]
    public async Task A_finite_lease_is_renewed_before_it_runs_out()
    {
        await using var hosting = CliProcess.StartWrapped(lab.In("upnp"), "host", "--server", lab.Gateway, "--name", "upnp", "--json", "--upnp-lease", "4");
        var listen = ListenPort(await hosting.WaitForEventAsync("registered"));

        // miniupnpd lists the lease time left; it counts down from 4 s and must go back up when the client
        // renews at half-life, long before the mapping would lapse.
        var seen = new List<int>();
        var renewed = await Eventually.ReachesAsync(
            async () =>
            {
                var ours = (await lab.UpnpMappingsAsync()).SingleOrDefault(m => m.ExternalPort == listen);
                Assert.True(ours is not null, $"The mapping lapsed; lease left over time: {string.Join(' ', seen)}");
                seen.Add(ours.LeaseSeconds);
                return seen.Zip(seen.Skip(1)).Any(pair => pair.Second > pair.First);
            },
            renewed => renewed,
            TimeSpan.FromSeconds(15));

        Assert.True(renewed, $"Never renewed; lease left over time: {string.Join(' ', seen)}");
        Assert.All(seen, left => Assert.InRange(left, 0, 4));

        await hosting.SignalAsync("TERM");
        await hosting.WaitForExitAsync();
        Assert.DoesNotContain(await lab.UpnpMappingsAsync(), m => m.ExternalPort == listen);
    }

    [Fact]
    public async Task A_port_mapped_to_another_program_is_left_alone_and_another_external_port_is_used()
    {
        const int LocalPort = 24001;
        var lanIp = lab.Env["NATLAB_UPNP_IP4"];

        // Another program on the same host holds external port 24001 (for its own port 24002). miniupnpd would
        // let this host's AddPortMapping of 24001 replace it; the client must check and move on instead.
        await lab.UpnpcAsync("-a", lanIp, Port(LocalPort + 1), Port(LocalPort), "udp");
        try
        {
            await using var hosting = CliProcess.StartWrapped(lab.In("upnp"), "host", "--server", lab.Gateway, "--name", "upnp", "--json", "--port", Port(LocalPort));
            var listen = ListenPort(await hosting.WaitForEventAsync("registered"));
            var mappings = await lab.UpnpMappingsAsync();

            Assert.NotEqual(LocalPort, listen);
            var ours = Assert.Single(mappings, m => m.ExternalPort == listen);
            AssertOurs(ours);
            Assert.Equal(LocalPort, ours.InternalPort);
            var theirs = Assert.Single(mappings, m => m.ExternalPort == LocalPort);
            Assert.Equal((lanIp, LocalPort + 1), (theirs.InternalAddress, theirs.InternalPort));

            await hosting.SignalAsync("TERM");
            await hosting.WaitForExitAsync();
            mappings = await lab.UpnpMappingsAsync();

            Assert.DoesNotContain(mappings, m => m.ExternalPort == listen);
            Assert.Contains(mappings, m => m.ExternalPort == LocalPort);
        }
        finally
        {
            await lab.UpnpcAsync("-d", Port(LocalPort), "udp");
        }
    }

    private void AssertOurs(UpnpMapping mapping) =>
        Assert.Equal(("UDP", lab.Env["NATLAB_UPNP_IP4"], "Matchmaker"), (mapping.Protocol, mapping.InternalAddress, mapping.Description));

    /// <summary>The external port of the <c>listen</c> endpoint in a <c>registered</c> event; it must be on the router's WAN address.</summary>
    private int ListenPort(JsonElement registered)
    {
        var listen = registered.GetProperty("listen").GetString()!;
        Assert.StartsWith(lab.Env["NATLAB_UPNP_PUBLIC_IP4"] + ":", listen, StringComparison.Ordinal);
        return int.Parse(listen[(listen.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
