using System.Diagnostics.Metrics;

namespace Matchmaker.Relay;

/// <summary>
/// <c>matchmaker_relay_allocations_total</c>, <c>matchmaker_relay_bytes_total</c> (DESIGN.md names),
/// <c>matchmaker_relay_packets_total</c> (forwarded) and <c>matchmaker_relay_drops_total{reason}</c>.
/// Like the gateway's, counting is an Interlocked increment read at scrape time: a tagged
/// <c>Counter.Add</c> allocates once a listener is attached, and the forwarding path must not.
/// </summary>
public sealed class RelayMetrics
{
    private static readonly RelayDropReason[] Reasons = Enum.GetValues<RelayDropReason>();

    private readonly long[] _drops = new long[Reasons.Length];
    private long _allocations;
    private long _bytes;
    private long _packets;
    private long _active;

    public RelayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create("Matchmaker");
        meter.CreateObservableCounter("matchmaker_relay_allocations", () => Interlocked.Read(ref _allocations), description: "Relay allocations opened (first bind of a valid token).");
        meter.CreateObservableCounter("matchmaker_relay_bytes", () => Interlocked.Read(ref _bytes), unit: "By", description: "Payload bytes forwarded by the relay.");
        meter.CreateObservableCounter("matchmaker_relay_packets", () => Interlocked.Read(ref _packets), description: "Datagrams forwarded by the relay.");
        meter.CreateObservableUpDownCounter("matchmaker_relay_allocations_active", () => Interlocked.Read(ref _active), description: "Relay allocations open now.");
        meter.CreateObservableCounter("matchmaker_relay_drops", ObserveDrops, description: "Datagrams the relay refused, by reason.");
    }

    public void AllocationOpened()
    {
        Interlocked.Increment(ref _allocations);
        Interlocked.Increment(ref _active);
    }

    public void AllocationClosed() => Interlocked.Decrement(ref _active);

    public void Forwarded(int bytes)
    {
        Interlocked.Increment(ref _packets);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void Dropped(RelayDropReason reason) => Interlocked.Increment(ref _drops[(int)reason]);

    public long Read(RelayDropReason reason) => Interlocked.Read(ref _drops[(int)reason]);

    public long ForwardedPackets => Interlocked.Read(ref _packets);

    public static string TagOf(RelayDropReason reason) => reason switch
    {
        RelayDropReason.UnknownHandle => "unknown-handle",
        RelayDropReason.WrongSource => "wrong-source",
        RelayDropReason.PeerUnbound => "peer-unbound",
        RelayDropReason.NodeFull => "node-full",
        RelayDropReason.PlayerQuota => "player-quota",
        RelayDropReason.ForbiddenAddress => "forbidden-address",
        _ => reason.ToString().ToLowerInvariant(),
    };

    private IEnumerable<Measurement<long>> ObserveDrops()
    {
        foreach (var reason in Reasons)
        {
            var value = Interlocked.Read(ref _drops[(int)reason]);
            if (value > 0)
            {
                yield return new Measurement<long>(value, new KeyValuePair<string, object?>("reason", TagOf(reason)));
            }
        }
    }
}
