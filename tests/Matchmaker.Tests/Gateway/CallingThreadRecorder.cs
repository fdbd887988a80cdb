using System.Collections.Concurrent;
using Matchmaker.Grains;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// An outgoing grain-call filter that notes, for every call to a player grain, whether the thread making it
/// is a thread-pool worker. A filter runs on the caller's thread before the call is sent, which is where
/// Orleans takes the call's pooled response completion source.
/// </summary>
internal sealed class CallingThreadRecorder : IOutgoingGrainCallFilter
{
    private readonly ConcurrentQueue<(string Method, string Thread, bool PoolThread)> _calls = new();

    public IReadOnlyCollection<(string Method, string Thread, bool PoolThread)> Calls => _calls;

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IPlayerGrain))
        {
            var thread = Thread.CurrentThread;
            _calls.Enqueue((context.MethodName, thread.Name ?? $"#{thread.ManagedThreadId}", thread.IsThreadPoolThread));
        }

        return context.Invoke();
    }
}
