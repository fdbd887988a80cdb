using Matchmaker.Grains.Models;

namespace Matchmaker.Grains;

/// <summary>
/// Counts punch outcomes into the silo's metrics. A stateless worker: every silo records locally and
/// Prometheus adds the silos up, so no grain sees every report.
/// </summary>
[Alias("Matchmaker.IPunchStatsGrain")]
public interface IPunchStatsGrain : IGrainWithIntegerKey
{
    [Alias("Record")]
    Task RecordAsync(PunchResult result);
}
