using System.Text.Json;
using Matchmaker.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Matchmaker.Tests.NatLab;

/// <summary>
/// Four hosts behind real NATs queue with <c>mm queue</c>: only pairs with a direct path are matched (the
/// symmetric NAT never with the port-restricted cone), and each match connects with a message each way.
/// The lab's silo runs with short widening delays (see <see cref="NatLabFixture"/>), so the pair left
/// over after the first match meets across NAT buckets within seconds.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class QueueMatchTests(NatLabFixture lab, ITestOutputHelper output)
{
    [Fact]
    public async Task Mixed_nats_form_only_direct_matches_that_connect_both_ways()
    {
        // Steps, each matched before the next starts, so the pairing does not hang on how long a CLI takes
        // to start (a ticket older than the region-widening delay waits in a wider shard). The symmetric and
        // the port-restricted host queue first and wait side by side, incompatible; full-cone then pairs
        // with the symmetric one (same bucket), and public with the port-restricted one (across buckets).
        (string[] Queue, string[] ThenMatched)[] steps =
        [
            (["symmetric", "port-restricted"], []),
            (["full-cone"], ["symmetric", "full-cone"]),
            (["public"], ["port-restricted", "public"]),
        ];
        var clients = new Dictionary<string, CliProcess>();
        var ids = new Dictionary<string, string>();
        var matched = new Dictionary<string, string[]>();
        try
        {
            foreach (var (queue, thenMatched) in steps)
            {
                foreach (var host in queue)
                {
                    var client = CliProcess.StartWrapped(lab.In(host), "queue", "--server", lab.Gateway, "--mode", "lab-duel", "--size", "2", "--region", "lab", "--json");
                    clients[host] = client;
                    ids[host] = (await client.WaitForEventAsync("registered")).GetProperty("player").GetString()!;
                    await client.WaitForEventAsync("queued");
                }

                var byId = ids.ToDictionary(kv => kv.Value, kv => kv.Key);
                foreach (var host in thenMatched)
                {
                    var players = (await clients[host].WaitForEventAsync("matched")).GetProperty("players").EnumerateArray().Select(p => byId[p.GetString()!]).ToArray();
                    matched[host] = players;
                    output.WriteLine($"{host}: matched with {string.Join(", ", players)}");
                }
            }

            Assert.Equal(["symmetric", "full-cone"], matched["symmetric"]);
            Assert.Equal(["symmetric", "full-cone"], matched["full-cone"]);
            Assert.Equal(["port-restricted", "public"], matched["port-restricted"]);
            Assert.Equal(["port-restricted", "public"], matched["public"]);
            Assert.Equal("cone-to-symmetric", await ConnectAndTalkAsync(clients["symmetric"], clients["full-cone"]));
            Assert.Equal("direct", await ConnectAndTalkAsync(clients["port-restricted"], clients["public"]));
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                output.WriteLine(client.Transcript);
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>Both sides report <c>connected</c> by the same method, then a line each way arrives.</summary>
    private static async Task<string> ConnectAndTalkAsync(CliProcess a, CliProcess b)
    {
        var atA = await a.WaitForEventAsync("connected");
        var atB = await b.WaitForEventAsync("connected");
        Assert.Equal(Method(atA), Method(atB));
        await a.SendLineAsync("ping from a");
        await b.SendLineAsync("ping from b");
        Assert.Equal("ping from b", (await a.WaitForEventAsync("message")).GetProperty("text").GetString());
        Assert.Equal("ping from a", (await b.WaitForEventAsync("message")).GetProperty("text").GetString());
        return Method(atA);
    }

    private static string Method(JsonElement connected) => connected.GetProperty("method").GetString()!;
}
