using System.Collections.Concurrent;
using Matchmaker.Grains;

namespace Matchmaker.Tests.Infrastructure;

/// <summary>
/// An outgoing grain-call filter on the fixture's silo that notes, for every call to a player grain, the
/// method and whether the calling thread is a thread-pool worker. A filter runs on the caller's thread
/// before the call is sent, which is where Orleans takes the call's pooled response completion source.
/// Kept per player, so a test reads only the calls its own players caused.
/// </summary>
public sealed class PlayerCallRecorder : IOutgoingGrainCallFilter
{
    private readonly ConcurrentDictionary<GrainId, ConcurrentQueue<PlayerCall>> _calls = new();
    private readonly ConcurrentDictionary<GrainId, (Task Release, TaskCompletionSource Held)> _holds = new();

    public IReadOnlyList<PlayerCall> CallsTo(GrainId player) => _calls.TryGetValue(player, out var calls) ? [.. calls] : [];

    /// <summary>
    /// Keeps every call to this player from being sent until <paramref name="release"/> completes, so a test can
    /// hold a request in flight; <paramref name="held"/> completes when the first call is held.
    /// </summary>
    public void Hold(GrainId player, Task release, TaskCompletionSource held) => _holds[player] = (release, held);

    public void StopHolding(GrainId player) => _holds.TryRemove(player, out _);

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IPlayerGrain))
        {
            var thread = Thread.CurrentThread;
            _calls.GetOrAdd(context.TargetId, static _ => new()).Enqueue(new PlayerCall(context.MethodName, thread.Name ?? $"#{thread.ManagedThreadId}", thread.IsThreadPoolThread));
            if (_holds.TryGetValue(context.TargetId, out var hold))
            {
                hold.Held.TrySetResult();
                await hold.Release;
            }
        }

        await context.Invoke();
    }
}
