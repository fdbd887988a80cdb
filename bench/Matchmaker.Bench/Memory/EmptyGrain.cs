namespace Matchmaker.Bench.Memory;

/// <summary>The baseline for <c>players-memory</c>: an activation with nothing of ours in it.</summary>
public sealed class EmptyGrain : Grain, IEmptyGrain
{
    public Task TouchAsync() => Task.CompletedTask;
}
