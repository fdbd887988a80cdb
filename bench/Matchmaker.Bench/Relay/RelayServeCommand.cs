using System.Diagnostics.Metrics;
using System.Globalization;
using Matchmaker.Relay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Matchmaker.Bench.Relay;

/// <summary>
/// <c>relay-serve</c>: the product's relay data plane (<see cref="RelayService"/>, forwarder, allocation
/// table) hosted without a cluster, for the loopback benchmark only. Bench-only settings, never a
/// product default: loopback allowed, the bandwidth cap lifted, and the node secret written to a file so
/// the load generator can mint tokens the way the cluster would.
/// </summary>
internal static class RelayServeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var loops = new RelayOptions().ReceiveLoops;
        if (args is not ["--port", var portText, "--secret-file", var secretFile, .. var rest]
            || !int.TryParse(portText, CultureInfo.InvariantCulture, out var port)
            || (rest is not [] && (rest is not ["--receive-loops", var loopsText] || !int.TryParse(loopsText, CultureInfo.InvariantCulture, out loops))))
        {
            Console.Error.WriteLine("usage: relay-serve --port P --secret-file FILE [--receive-loops 0]   (runs until SIGTERM)");
            return 2;
        }

        var options = new RelayOptions
        {
            Address = "127.0.0.1",
            Port = port,
            NodeId = "bench",
            AllowLoopback = true,
            BandwidthBytesPerSecond = int.MaxValue,
            MaxAllocations = 4096,
            MaxAllocationsPerPlayer = 4096,
            ReceiveLoops = loops,
        };
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new RelayMetrics(services.GetRequiredService<IMeterFactory>());
        var secret = new RelaySecret();
        var table = new RelayAllocationTable(options, metrics, TimeProvider.System);
        var service = new RelayService(options, new RelayForwarder(options, table, metrics, secret), table, TimeProvider.System, NullLogger<RelayService>.Instance);
        await service.StartAsync(CancellationToken.None);
        await File.WriteAllTextAsync(secretFile, Convert.ToBase64String(secret.Value));
        Console.WriteLine($"relay-serve listening on {service.LocalEndPoint}");

        var stop = new TaskCompletionSource();
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        await stop.Task;
        await service.StopAsync(CancellationToken.None);
        // Garbage collections during the run would suspend the receive loops: say whether there were any.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"relay-serve forwarded {metrics.ForwardedPackets} packets; {GC.CollectionCount(0)} gen0 collections, {GC.GetTotalAllocatedBytes() / 1024} KiB allocated in all"));
        return 0;
    }
}
