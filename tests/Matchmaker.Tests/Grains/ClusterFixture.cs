using System.Net;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Matchmaker.Tests.Grains;

/// <summary>
/// An in-process Orleans cluster with Matchmaker's grains, whose grain clock (timers included) is a
/// <see cref="FakeTimeProvider"/>, so expiry is driven by the test, not by waiting. Renewal leases are off
/// (<c>Players:LeaseHeartbeats=0</c>): the tests sharing this cluster are about expiry within one registration
/// lifetime; <see cref="LeaseClusterFixture"/> runs the same cluster with leases on.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    private readonly int _leaseHeartbeats;

    public ClusterFixture()
        : this(0)
    {
    }

    protected ClusterFixture(int leaseHeartbeats)
    {
        _leaseHeartbeats = leaseHeartbeats;
        PlayerOptions = new() { LeaseHeartbeats = leaseHeartbeats };
    }

    /// <summary>The cluster-wide relay cap per player: small, so a test reaches it in a few joins.</summary>
    public const int RelayAllocationsPerPlayer = 3;

    private InProcessTestCluster? _cluster;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public RecordingGatewayPush Pushes { get; } = new();

    public IClusterClient Client => _cluster!.Client;

    public IGatewayPush PushReference { get; private set; } = null!;

    public PlayerOptions PlayerOptions { get; }

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            // Queue shards sweep often, so widening follows the fake clock within a test's patience.
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Queues:SweepInterval"] = "00:00:00.050",
                    ["Players:LeaseHeartbeats"] = _leaseHeartbeats.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["RelayDirectory:MaxAllocationsPerPlayer"] = RelayAllocationsPerPlayer.ToString(System.Globalization.CultureInfo.InvariantCulture),
                })
                .Build();
            silo.Services.AddMatchmakerGrains(configuration);
            silo.Services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, Clock);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        PushReference = Client.CreateObjectReference<IGatewayPush>(Pushes);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>Registers a fresh player (a new grain key per test) at a distinct public address.</summary>
    public async Task<IPlayerGrain> RegisterAsync(string publicIp, NatCapabilities capabilities = default)
    {
        var player = Client.GetGrain<IPlayerGrain>(Guid.NewGuid());
        await HeartbeatAsync(player, publicIp, capabilities);
        return player;
    }

    public Task<PlayerStatus> HeartbeatAsync(IPlayerGrain player, string publicIp, NatCapabilities capabilities = default, LobbyClaim? lobby = null) =>
        player.HeartbeatAsync(new PlayerPresence(
            new IPEndPoint(IPAddress.Parse(publicIp), 40000),
            [new IPEndPoint(IPAddress.Parse("10.0.0.2"), 40000)],
            capabilities,
            new GatewayRoute(PushReference, new IPEndPoint(IPAddress.Loopback, 3478)),
            Lobby: lobby));

    /// <summary>Drops a grain's activation and with it all its in-memory state, as losing its silo would.</summary>
    public Task LoseAsync(IAddressable grain) => Client.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());
}
