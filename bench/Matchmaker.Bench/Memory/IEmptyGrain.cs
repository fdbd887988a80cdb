namespace Matchmaker.Bench.Memory;

/// <summary>A grain with no state and no timer: what an activation costs Orleans alone.</summary>
[Alias("Matchmaker.Bench.IEmptyGrain")]
public interface IEmptyGrain : IGrainWithGuidKey
{
    [Alias("Touch")]
    Task TouchAsync();
}
