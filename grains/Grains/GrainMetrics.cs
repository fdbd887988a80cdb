using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains;

/// <summary>Cluster-side instruments (DESIGN.md names). Tags stay low-cardinality: never a player id or address.</summary>
public sealed class GrainMetrics
{
    public const string MeterName = "Matchmaker";

    /// <summary>Seconds: a LAN punch takes milliseconds, a punch through NATs a few round trips, a failure the whole deadline.</summary>
    private static readonly double[] TimeToConnectBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60];

    private readonly UpDownCounter<long> _playersActive;
    private readonly UpDownCounter<long> _sessionsActive;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _queueTickets;
    private readonly Counter<long> _queueMatches;
    private readonly ConcurrentDictionary<string, string> _modeTags = new();
    private readonly Counter<long> _punchAttempts;
    private readonly Counter<long> _punchSuccesses;
    private readonly Histogram<double> _timeToConnect;
    private readonly Counter<long> _quotaRefusals;
    private long _sessionsOnThisSilo;

    public GrainMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _playersActive = meter.CreateUpDownCounter<long>("matchmaker_players_active", description: "Registered players whose heartbeats are current.");
        _sessionsActive = meter.CreateUpDownCounter<long>("matchmaker_sessions_active", description: "Open lobbies.");
        _queueWait = meter.CreateHistogram(
            "matchmaker_queue_wait_seconds",
            unit: "s",
            description: "Time from enqueue to a formed match, per matched player.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120] });
        _queueTickets = meter.CreateCounter<long>("matchmaker_queue_tickets_total", description: "Tickets enqueued.");
        _queueMatches = meter.CreateCounter<long>("matchmaker_queue_matches_total", description: "Queue matches: formed, or requeued when a player dropped before introduction.");
        _punchAttempts = meter.CreateCounter<long>("matchmaker_punch_attempts", description: "Punches clients reported, by connection method and sorted pair of NAT classes.");
        _punchSuccesses = meter.CreateCounter<long>("matchmaker_punch_success", description: "Punches clients reported as connected, by connection method and sorted pair of NAT classes.");
        _timeToConnect = meter.CreateHistogram(
            "matchmaker_time_to_connect",
            unit: "s",
            description: "Time from introduction to a verified peer path, for punches that connected, by method.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TimeToConnectBuckets });
        _quotaRefusals = meter.CreateCounter<long>("matchmaker_quota_refusals", description: "Requests refused by a per-player or per-silo quota, by quota.");
    }

    /// <summary>Distinct mode tags a process reports before the rest read <c>other</c>: modes are player input.</summary>
    public const int MaxModeTags = 32;

    public void PlayerOnline() => _playersActive.Add(1);

    public void PlayerOffline() => _playersActive.Add(-1);

    /// <summary>Open lobbies whose session grain lives on this silo: what <c>Lobbies:MaxActivePerSilo</c> bounds.</summary>
    public long SessionsOnThisSilo => Interlocked.Read(ref _sessionsOnThisSilo);

    public void SessionOpened()
    {
        Interlocked.Increment(ref _sessionsOnThisSilo);
        _sessionsActive.Add(1);
    }

    public void SessionClosed()
    {
        Interlocked.Decrement(ref _sessionsOnThisSilo);
        _sessionsActive.Add(-1);
    }

    /// <summary><paramref name="quota"/>: <c>player-failed-joins</c>, <c>player-lobbies</c> or <c>silo-lobbies</c>.</summary>
    public void QuotaRefused(string quota) => _quotaRefusals.Add(1, new KeyValuePair<string, object?>("quota", quota));
    public void TicketQueued(string mode) => _queueTickets.Add(1, new KeyValuePair<string, object?>("mode", ModeTag(mode)));

    public void MatchFormed(string mode, IEnumerable<TimeSpan> waits)
    {
        var tag = new KeyValuePair<string, object?>("mode", ModeTag(mode));
        _queueMatches.Add(1, tag, new KeyValuePair<string, object?>("result", "formed"));
        foreach (var wait in waits)
        {
            _queueWait.Record(wait.TotalSeconds, tag);
        }
    }

    public void MatchRequeued(string mode) =>
        _queueMatches.Add(1, new KeyValuePair<string, object?>("mode", ModeTag(mode)), new KeyValuePair<string, object?>("result", "requeued"));

    private string ModeTag(string mode) =>
        _modeTags.TryGetValue(mode, out var tag) ? tag
        : _modeTags.Count < MaxModeTags ? _modeTags.GetOrAdd(mode, mode)
        : "other";

    public void PunchReported(PunchResult result)
    {
        var method = new KeyValuePair<string, object?>("method", result.Method.ToWireName());
        var pair = new KeyValuePair<string, object?>("nat_pair", NatClassNames.PairOf(result.OwnNat, result.PeerNat));
        _punchAttempts.Add(1, method, pair);
        // Adding 0 on failure still creates the series: a pair that never connects shows 0 %, not no data.
        _punchSuccesses.Add(result.Connected ? 1 : 0, method, pair);
        if (result.Connected)
        {
            _timeToConnect.Record(result.TimeToConnect.TotalSeconds, method);
        }
    }
}
