using Matchmaker.Tests.EndToEnd;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// A relay node killed mid-session: both players hear <c>relay-lost</c> from the cluster (not after a
/// peer timeout), and the next join that needs a relay gets the other node.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class RelayFailoverTests(NatLabFixture lab)
{
    [Fact]
    public async Task A_killed_relay_is_reported_to_both_players_and_the_next_join_uses_the_other_node()
    {
        string lost;
        await using (var host = CliProcess.StartWrapped(lab.In("symmetric"), "host", "--server", lab.Gateway, "--name", "doomed", "--max-players", "2", "--json"))
        {
            var code = (await host.WaitForEventAsync("lobby")).GetProperty("code").GetString()!;
            await using var joiner = CliProcess.StartWrapped(lab.In("port-restricted"), "join", code, "--server", lab.Gateway, "--json");
            var connected = await joiner.WaitForEventAsync("connected");
            Assert.Equal("relay", connected.GetProperty("method").GetString());
            await host.WaitForEventAsync("connected");
            await ExchangeAsync(host, joiner);

            lost = lab.RelayAt(connected.GetProperty("endpoint").GetString()!);
            await lab.KillRelayAsync(lost);

            // DeadAfter is 3 s in the lab; the peers' own timeout (30 s) is far beyond the wait.
            var atJoiner = await joiner.WaitForEventAsync("disconnected", TimeSpan.FromSeconds(20));
            var atHost = await host.WaitForEventAsync("disconnected", TimeSpan.FromSeconds(20));
            Assert.Equal("relay-lost", atJoiner.GetProperty("reason").GetString());
            Assert.Equal("relay-lost", atHost.GetProperty("reason").GetString());
            Assert.Equal(1, await joiner.WaitForExitAsync());
        }

        try
        {
            await using var host = CliProcess.StartWrapped(lab.In("symmetric-b"), "host", "--server", lab.Gateway, "--name", "survivor", "--max-players", "2", "--json");
            var code = (await host.WaitForEventAsync("lobby")).GetProperty("code").GetString()!;
            await using var joiner = CliProcess.StartWrapped(lab.In("symmetric"), "join", code, "--server", lab.Gateway, "--json");
            var connected = await joiner.WaitForEventAsync("connected");
            Assert.Equal("relay", connected.GetProperty("method").GetString());
            Assert.NotEqual(lost, lab.RelayAt(connected.GetProperty("endpoint").GetString()!));
            await host.WaitForEventAsync("connected");
            await ExchangeAsync(host, joiner);
        }
        finally
        {
            await lab.StartRelayAsync(lost);
        }
    }

    private static async Task ExchangeAsync(CliProcess host, CliProcess joiner)
    {
        await host.SendLineAsync("to joiner");
        await joiner.SendLineAsync("to host");
        Assert.Equal("to joiner", (await joiner.WaitForEventAsync("message")).GetProperty("text").GetString());
        Assert.Equal("to host", (await host.WaitForEventAsync("message")).GetProperty("text").GetString());
    }
}
