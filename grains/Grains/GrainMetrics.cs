using System.Diagnostics.Metrics;

namespace Matchmaker.Grains;

/// <summary>Cluster-side gauges (DESIGN.md names). Tags stay low-cardinality: never a player id or address.</summary>
public sealed class GrainMetrics
{
    public const string MeterName = "Matchmaker";

    private readonly UpDownCounter<long> _playersActive;
    private readonly UpDownCounter<long> _sessionsActive;
    private readonly Counter<long> _quotaRefusals;
    private long _sessionsOnThisSilo;

    public GrainMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _playersActive = meter.CreateUpDownCounter<long>("matchmaker_players_active", description: "Registered players whose heartbeats are current.");
        _sessionsActive = meter.CreateUpDownCounter<long>("matchmaker_sessions_active", description: "Open lobbies.");
        _quotaRefusals = meter.CreateCounter<long>("matchmaker_quota_refusals", description: "Requests refused by a per-player or per-silo quota, by quota.");
    }

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
}
