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

    public IReadOnlyList<PlayerCall> CallsTo(GrainId player) => _calls.TryGetValue(player, out var calls) ? [.. calls] : [];

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IPlayerGrain))
        {
            var thread = Thread.CurrentThread;
            _calls.GetOrAdd(context.TargetId, static _ => new()).Enqueue(new PlayerCall(context.MethodName, thread.Name ?? $"#{thread.ManagedThreadId}", thread.IsThreadPoolThread));
        }

        return context.Invoke();
    }
}
