using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Orleans.Concurrency;

namespace Matchmaker.Bench.Queue;

/// <summary>
/// <c>queue-load --count-calls</c>: an outgoing grain-call filter on the bench's silo that counts every call
/// (grain and observer) by interface and method, so a run can say how many messages one ticket costs: a call
/// is two messages (request and response), a one-way call one. Off by default, so timed runs do not pay for it.
/// </summary>
internal sealed class CallCounter : IOutgoingGrainCallFilter
{
    private readonly ConcurrentDictionary<(string Method, bool OneWay), long> _calls = new();

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        var oneWay = context.InterfaceMethod?.GetCustomAttribute<OneWayAttribute>() is not null;
        _calls.AddOrUpdate(($"{context.InterfaceMethod?.DeclaringType?.Name}.{context.MethodName}", oneWay), 1, static (_, n) => n + 1);
        return context.Invoke();
    }

    public void Reset() => _calls.Clear();

    /// <summary>One line: messages per ticket in all, then calls per ticket by method (one-way ones marked).</summary>
    public string Describe(long tickets)
    {
        var perTicket = Math.Max(1, tickets);
        var messages = _calls.Sum(c => c.Value * (c.Key.OneWay ? 1 : 2));
        var methods = _calls
            .OrderByDescending(c => c.Value)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key.Method}{(c.Key.OneWay ? " (one-way)" : "")} {c.Value / (double)perTicket:0.###}"));
        return string.Create(CultureInfo.InvariantCulture, $"calls per ticket: {messages / (double)perTicket:0.##} messages | {string.Join(", ", methods)}");
    }
}
