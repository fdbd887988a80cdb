using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.EndToEnd;

[Collection(SiloCollection.Name)]
public sealed class CliEndToEndTests(SiloFixture silo)
{
    [Fact]
    public async Task Mm_host_and_join_exchange_a_message_each_way()
    {
        var server = silo.Gateway.ToString();
        await using var host = CliProcess.Start("host", "--server", server, "--name", "cli e2e", "--max-players", "2", "--json");
        var code = (await host.WaitForEventAsync("lobby")).GetProperty("code").GetString()!;
        await using var joiner = CliProcess.Start("join", code, "--server", server, "--json");

        var joinerConnected = await joiner.WaitForEventAsync("connected");
        var hostConnected = await host.WaitForEventAsync("connected");
        await host.SendLineAsync("ping from host");
        await joiner.SendLineAsync("pong from joiner");
        var atJoiner = await joiner.WaitForEventAsync("message");
        var atHost = await host.WaitForEventAsync("message");

        Assert.Equal("lan", joinerConnected.GetProperty("method").GetString());
        Assert.Equal("lan", hostConnected.GetProperty("method").GetString());
        Assert.Equal("ping from host", atJoiner.GetProperty("text").GetString());
        Assert.Equal("pong from joiner", atHost.GetProperty("text").GetString());
        Assert.Equal(joinerConnected.GetProperty("peer").GetString(), atJoiner.GetProperty("from").GetString());
        Assert.Equal(hostConnected.GetProperty("peer").GetString(), atHost.GetProperty("from").GetString());
    }

    [Fact]
    public async Task Mm_join_with_unknown_code_prints_lobby_not_found_and_exits_non_zero()
    {
        await using var joiner = CliProcess.Start("join", "ZZZZZZZ", "--server", silo.Gateway.ToString(), "--json");

        var error = await joiner.WaitForEventAsync("error");
        var exitCode = await joiner.WaitForExitAsync();

        Assert.Equal("lobby-not-found", error.GetProperty("code").GetString());
        Assert.NotEqual(0, exitCode);
    }

    [Fact]
    public async Task Mm_list_prints_a_hosted_lobby_as_json()
    {
        var server = silo.Gateway.ToString();
        await using var host = CliProcess.Start("host", "--server", server, "--name", "listed by cli", "--json");
        var code = (await host.WaitForEventAsync("lobby")).GetProperty("code").GetString()!;

        // The lobby browser caches for one second; list until the new lobby shows.
        string? found = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (found is null && DateTime.UtcNow < deadline)
        {
            await using var list = CliProcess.Start("list", "--server", server, "--json");
            Assert.Equal(0, await list.WaitForExitAsync());
            found = list.Transcript.Split('\n').FirstOrDefault(line => line.Contains(code, StringComparison.Ordinal));
        }

        Assert.NotNull(found);
        Assert.Contains("\"name\":\"listed by cli\"", found, StringComparison.Ordinal);
    }
}
