using Matchmaker.Grains.Models;
using Orleans.Concurrency;

namespace Matchmaker.Grains;

[StatelessWorker]
public sealed class PunchStatsGrain(GrainMetrics metrics) : Grain, IPunchStatsGrain
{
    public Task RecordAsync(PunchResult result)
    {
        metrics.PunchReported(result);
        return Task.CompletedTask;
    }
}
