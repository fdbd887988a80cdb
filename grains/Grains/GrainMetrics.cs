using System.Diagnostics.Metrics;

namespace Matchmaker.Grains;

/// <summary>Cluster-side gauges (DESIGN.md names). Tags stay low-cardinality: never a player id or address.</summary>
public sealed class GrainMetrics
{
    public const string MeterName = "Matchmaker";

    private readonly UpDownCounter<long> _playersActive;
    private readonly UpDownCounter<long> _sessionsActive;

    public GrainMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _playersActive = meter.CreateUpDownCounter<long>("matchmaker_players_active", description: "Registered players whose heartbeats are current.");
        _sessionsActive = meter.CreateUpDownCounter<long>("matchmaker_sessions_active", description: "Open lobbies.");
    }

    public void PlayerOnline() => _playersActive.Add(1);

    public void PlayerOffline() => _playersActive.Add(-1);

    public void SessionOpened() => _sessionsActive.Add(1);

    public void SessionClosed() => _sessionsActive.Add(-1);
}
