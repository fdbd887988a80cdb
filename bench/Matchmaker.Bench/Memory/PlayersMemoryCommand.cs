using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Matchmaker.Bench.Memory;

/// <summary>
/// <c>players-memory</c>: managed heap per idle registered player. An in-process silo with Matchmaker's
/// grains activates N player grains through heartbeats exactly as a gateway process delivers them: each
/// presence passes through Orleans' serializer, so every player gets its own endpoint objects and its own
/// deserialised observer reference. Then full compacting collections, and the heap growth divided by N.
/// The same for N empty grains separates Orleans' activation cost from ours. <c>--ipv6</c> gives every
/// player a public IPv6 endpoint too (a presence the grain cannot pack).
/// </summary>
internal static class PlayersMemoryCommand
{
    private const int Batch = 2000;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = 100_000;
        var grain = "player";
        var ipv6 = false;
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--ipv6")
            {
                ipv6 = true;
                i--;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"players-memory: {args[i]} needs a value");
                return 2;
            }

            switch (args[i])
            {
                case "--count":
                    count = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--grain":
                    grain = args[i + 1];
                    break;
                default:
                    Console.Error.WriteLine($"players-memory: unknown option {args[i]}");
                    return 2;
            }
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddMatchmakerGrains(new ConfigurationBuilder().Build());
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: 11411, gatewayPort: 30411)
            // Idle players must not be collected while they are measured (a real one heartbeats every 15 s,
            // which keeps it from collection; here nothing does). Configured after AddMatchmakerGrains, so it wins.
            .Configure<GrainCollectionOptions>(collection =>
            {
                collection.CollectionAge = TimeSpan.FromHours(2);
                collection.ClassSpecificCollectionAge[typeof(PlayerGrain).FullName!] = TimeSpan.FromHours(2);
            }));
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var push = grains.CreateObjectReference<IGatewayPush>(new NoPush());
        var serializer = host.Services.GetRequiredService<Serializer>();

        Func<int, Task> activate = grain switch
        {
            "empty" => i => grains.GetGrain<IEmptyGrain>(Id(i)).TouchAsync(),
            _ => i => grains.GetGrain<IPlayerGrain>(Id(i)).HeartbeatAsync(
                serializer.Deserialize<PlayerPresence>(serializer.SerializeToArray(Presence(i, push, ipv6)))!),
        };

        // Warm-up: first activations load types, fill pools and JIT; they are not what is measured.
        await ActivateAsync(activate, -Batch, 0);
        var before = SettledHeap();
        var clock = Stopwatch.StartNew();
        await ActivateAsync(activate, 0, count);
        var elapsed = clock.Elapsed;
        var after = SettledHeap();

        // Proof that what was measured is still there: every activation of the run is alive.
        var activations = (await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics())
            .Where(g => g.GrainType.Contains(grain == "empty" ? nameof(EmptyGrain) : nameof(PlayerGrain), StringComparison.Ordinal))
            .Sum(g => g.ActivationCount);
        var perGrain = (double)(after - before) / count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"players-memory grain={grain} ipv6={(ipv6 ? "yes" : "no")} count={count} activations={activations} heap_before={before} heap_after={after} bytes_per_grain={perGrain:F0} " +
            $"activation_rate={count / elapsed.TotalSeconds:F0}/s working_set_mb={Environment.WorkingSet / (1 << 20)}"));
        await host.StopAsync(TimeSpan.FromSeconds(1));
        return 0;
    }

    private static Guid Id(int i) => new(i, 0x6d6d, 0, 1, 2, 3, 4, 5, 6, 7, 8);

    private static PlayerPresence Presence(int i, IGatewayPush push, bool ipv6)
    {
        var address = new IPAddress((uint)(0x0A000000 + i));
        return new PlayerPresence(
            new IPEndPoint(address, 40000 + (i % 20000)),
            [new IPEndPoint(new IPAddress((uint)(0x0100A8C0 + (i % 250))), 40000)],
            new NatCapabilities(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent, ipv6, false, false),
            new GatewayRoute(push, new IPEndPoint(IPAddress.Loopback, 3478)),
            ipv6 ? new IPEndPoint(IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"2001:db8::{i & 0xFFFF:x}:{(i >> 16) & 0xFFFF:x}")), 40000) : null);
    }

    private static async Task ActivateAsync(Func<int, Task> activate, int from, int to)
    {
        for (var start = from; start < to; start += Batch)
        {
            var end = Math.Min(to, start + Batch);
            var calls = new Task[end - start];
            for (var i = start; i < end; i++)
            {
                calls[i - start] = activate(i);
            }

            await Task.WhenAll(calls);
        }
    }

    private static long SettledHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class NoPush : IGatewayPush
    {
        public Task IntroduceAsync(PushTarget target, Introduction introduction) => Task.CompletedTask;

        public Task LobbyClosedAsync(PushTarget target, string lobbyCode, string reason) => Task.CompletedTask;

        public Task MatchedAsync(PushTarget target, string lobbyCode, ImmutableArray<Guid> players) => Task.CompletedTask;

        public Task RelayLostAsync(PushTarget target, Guid introductionId) => Task.CompletedTask;

        public Task StartMatchesAsync(ImmutableArray<MatchPush> matches) => Task.CompletedTask;
    }
}
