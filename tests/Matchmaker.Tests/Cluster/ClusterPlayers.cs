using Matchmaker.Client;
using Matchmaker.Grains;
using Matchmaker.Tests.EndToEnd;

namespace Matchmaker.Tests.Cluster;

/// <summary>
/// Real SDK clients heartbeating through a gateway process: lobby pairs (host + member, connected to each
/// other) and idle registered players, with what the cluster should say about each.
/// </summary>
internal sealed class ClusterPlayers(System.Net.IPEndPoint gateway) : IAsyncDisposable
{
    private readonly List<MatchmakerClient> _clients = [];

    public List<(MatchmakerClient Host, MatchmakerClient Member, string Code)> Lobbies { get; } = [];

    public List<MatchmakerClient> Idle { get; } = [];

    public IEnumerable<(MatchmakerClient Client, string? Code)> Expected =>
        Lobbies.SelectMany(l => new[] { (l.Host, (string?)l.Code), (l.Member, l.Code) }).Concat(Idle.Select(c => (c, (string?)null)));

    public async Task<MatchmakerClient> ConnectAsync()
    {
        var client = await MatchmakerClient.ConnectAsync(new() { Server = gateway, ClassifyNat = false });
        _clients.Add(client);
        return client;
    }

    public async Task<string> AddLobbyAsync(string name)
    {
        var host = await ConnectAsync();
        var member = await ConnectAsync();
        var code = (await host.HostAsync(name, maxPlayers: 4)).Code;
        await member.JoinAsync(code);
        await host.NextAsync<PeerConnected>();
        await member.NextAsync<PeerConnected>();
        Lobbies.Add((host, member, code));
        return code;
    }

    public async Task AddIdleAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Idle.Add(await ConnectAsync());
        }
    }

    /// <summary>
    /// Whether the cluster, asked through <paramref name="grains"/>, has every player registered in the lobby
    /// it believes it is in, and every lobby open with both players. Calls that fail (a silo not yet declared
    /// dead) count as not yet.
    /// </summary>
    public async Task<bool> AllPresentAsync(IGrainFactory grains)
    {
        try
        {
            foreach (var (client, code) in Expected)
            {
                var status = await grains.GetGrain<IPlayerGrain>(client.PlayerId).GetStatusAsync();
                if (!status.Registered || status.LobbyCode != code)
                {
                    return false;
                }
            }

            foreach (var (_, _, code) in Lobbies)
            {
                if (await grains.GetGrain<ISessionGrain>(code).GetSummaryAsync() is not { Players: 2 })
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Whether the public list, read through <paramref name="grains"/>, shows every lobby exactly once.</summary>
    public async Task<bool> AllListedOnceAsync(IGrainFactory grains)
    {
        try
        {
            var listed = await grains.GetGrain<ILobbyBrowserGrain>(0).ListAsync(1000);
            return Lobbies.All(l => listed.Count(e => e.Code == l.Code) == 1);
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
