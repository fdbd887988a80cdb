using System.Diagnostics.Metrics;
using System.Net;
using Matchmaker.Protocol.Relay;
using Matchmaker.Relay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Matchmaker.Tests.Relay;

/// <summary>
/// A real relay node on a loopback UDP socket, with a fake clock for expiry, and the cluster's half —
/// minting tickets from the node's secret — done by the test. Loopback is allowed here only because the
/// test network is loopback; the filter tests cover the default. <see cref="HeartbeatTo"/> joins it to a
/// test cluster, which then mints the tickets instead.
/// </summary>
internal sealed class RelayHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private RelayHarness(RelayOptions options, DateTimeOffset now)
    {
        Clock = new FakeTimeProvider(now);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Options = options;
        Metrics = new RelayMetrics(_services.GetRequiredService<IMeterFactory>());
        Table = new RelayAllocationTable(options, Metrics, Clock);
        Service = new RelayService(options, new RelayForwarder(options, Table, Metrics, Secret), Table, Clock, NullLogger<RelayService>.Instance);
    }

    public FakeTimeProvider Clock { get; }

    public RelayOptions Options { get; }

    public RelaySecret Secret { get; } = new();

    public RelayMetrics Metrics { get; }

    public RelayAllocationTable Table { get; }

    public RelayService Service { get; }

    public IPEndPoint Endpoint => Service.LocalEndPoint;

    /// <summary><paramref name="now"/>: the node's clock starts there (a cluster's, when the cluster mints the tokens).</summary>
    public static async Task<RelayHarness> StartAsync(Action<RelayOptions>? configure = null, DateTimeOffset? now = null)
    {
        // One receive loop: RelayTestClient's barrier relies on the node handling datagrams in arrival order.
        var options = new RelayOptions { Address = "127.0.0.1", Port = 0, AllowLoopback = true, NodeId = "test", SocketBufferBytes = 1 << 20, ReceiveLoops = 1 };
        configure?.Invoke(options);
        var harness = new RelayHarness(options, now ?? DateTimeOffset.Parse("2026-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await harness.Service.StartAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>What the cluster hands a player: a token for one side and its key under this node's secret.</summary>
    public RelayTicket Ticket(Guid allocation, byte side, Guid player, TimeSpan? lifetime = null)
    {
        var expires = Clock.GetUtcNow() + (lifetime ?? TimeSpan.FromHours(1));
        var token = new RelayToken(allocation, side, (uint)expires.ToUnixTimeSeconds(), RelayToken.TagOf(player)).ToArray();
        return new RelayTicket(Endpoint, token, RelayToken.DeriveKey(Secret.Value, token));
    }

    /// <summary>Two clients bound to the two sides of a fresh allocation.</summary>
    public async Task<(RelayTestClient A, RelayTestClient B)> PairAsync(IPAddress? addressA = null, IPAddress? addressB = null)
    {
        var allocation = Guid.NewGuid();
        var a = new RelayTestClient(Endpoint, Ticket(allocation, 0, Guid.NewGuid()), addressA);
        var b = new RelayTestClient(Endpoint, Ticket(allocation, 1, Guid.NewGuid()), addressB);
        Assert.Null((await a.BindAsync()).Error);
        Assert.Null((await b.BindAsync()).Error);
        return (a, b);
    }

    /// <summary>The node's heartbeat to <paramref name="grains"/>' cluster, beaten by the test (<see cref="RelayHeartbeatService.BeatAsync"/>).</summary>
    public RelayHeartbeatService HeartbeatTo(IGrainFactory grains) =>
        new(Options, Service, Table, Secret, grains, Clock, NullLogger<RelayHeartbeatService>.Instance);

    public async ValueTask DisposeAsync()
    {
        await Service.StopAsync(CancellationToken.None);
        Service.Dispose();
        await _services.DisposeAsync();
    }
}
