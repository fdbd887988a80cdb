using System.Diagnostics.Metrics;

namespace Matchmaker.Gateway;

/// <summary>
/// <c>matchmaker_gateway_packets_total{type,result}</c>: every datagram counted exactly once, so a flood
/// shows up as a number rather than as silence. Counting is an Interlocked increment of a fixed slot and
/// the values are read at scrape time: a tagged <c>Counter.Add</c> allocates once a listener such as
/// OpenTelemetry is attached, and the packet path must not.
/// </summary>
public sealed class GatewayMetrics
{
    private static readonly int TypeCount = Enum.GetValues<PacketType>().Length;
    private static readonly int ResultCount = Enum.GetValues<PacketResult>().Length;

    private readonly long[] _packets = new long[TypeCount * ResultCount];
    private readonly long[] _rateLimited = new long[Enum.GetValues<RateLimit>().Length];
    private readonly long[] _leases = new long[Enum.GetValues<LeaseEvent>().Length];
    private readonly Meter _meter;
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _peerChangeRequests;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = _meter = meterFactory.Create("Matchmaker");
        meter.CreateObservableCounter("matchmaker_gateway_packets", ObservePackets, description: "Datagrams received by the gateway, by message type and outcome.");
        meter.CreateObservableCounter("matchmaker_gateway_rate_limited", ObserveRateLimited, description: "Requests and replies refused by a gateway rate limit, by limit.");
        meter.CreateObservableCounter("matchmaker_gateway_heartbeat_leases", ObserveLeaseEvents, description: "Heartbeat renewal leases granted by player grains, refused for a full table, dropped early.");
        _pushes = meter.CreateCounter<long>("matchmaker_gateway_pushes", description: "Pushes to players (introductions, lobby closed), by outcome: acked, abandoned, shed.");
        _peerChangeRequests = meter.CreateCounter<long>(
            "matchmaker_gateway_peer_change_requests",
            description: "RFC 5780 change-IP probes handed to (forwarded, rate-limited) or answered for (answered, refused) a peer gateway.");
    }

    public void Count(PacketType type, PacketResult result) => Interlocked.Increment(ref _packets[((int)type * ResultCount) + (int)result]);

    public long Read(PacketType type, PacketResult result) => Interlocked.Read(ref _packets[((int)type * ResultCount) + (int)result]);

    public void CountRateLimited(RateLimit limit) => Interlocked.Increment(ref _rateLimited[(int)limit]);

    public long Read(RateLimit limit) => Interlocked.Read(ref _rateLimited[(int)limit]);

    public void CountLease(LeaseEvent leaseEvent) => Interlocked.Increment(ref _leases[(int)leaseEvent]);

    public long Read(LeaseEvent leaseEvent) => Interlocked.Read(ref _leases[(int)leaseEvent]);

    /// <summary>Publishes the number of leases held, read at scrape time.</summary>
    public void ObserveLeases(Func<int> held) =>
        _meter.CreateObservableGauge("matchmaker_gateway_heartbeat_leases_active", held, description: "Heartbeat renewal leases this gateway holds.");

    public void CountPush(string result) => _pushes.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary>Off the ordinary Binding path: only change-IP probes on a one-IP node get here.</summary>
    public void CountPeerChangeRequest(string result) => _peerChangeRequests.Add(1, new KeyValuePair<string, object?>("result", result));

    private IEnumerable<Measurement<long>> ObservePackets()
    {
        for (var type = 0; type < TypeCount; type++)
        {
            for (var result = 0; result < ResultCount; result++)
            {
                var value = Interlocked.Read(ref _packets[(type * ResultCount) + result]);
                if (value > 0)
                {
                    yield return new Measurement<long>(
                        value,
                        new KeyValuePair<string, object?>("type", PacketTypes.TagOf((PacketType)type)),
                        new KeyValuePair<string, object?>("result", PacketTypes.TagOf((PacketResult)result)));
                }
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveLeaseEvents()
    {
        for (var leaseEvent = 0; leaseEvent < _leases.Length; leaseEvent++)
        {
            yield return new Measurement<long>(Interlocked.Read(ref _leases[leaseEvent]), new KeyValuePair<string, object?>("result", ((LeaseEvent)leaseEvent).ToString().ToLowerInvariant()));
        }
    }

    private IEnumerable<Measurement<long>> ObserveRateLimited()
    {
        for (var limit = 0; limit < _rateLimited.Length; limit++)
        {
            yield return new Measurement<long>(Interlocked.Read(ref _rateLimited[limit]), new KeyValuePair<string, object?>("limit", PacketTypes.TagOf((RateLimit)limit)));
        }
    }
}
