using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Matchmaker.Gateway;

/// <summary>A metrics view that keeps one host's instruments and drops those of other hosts in the same process.</summary>
internal static class HostMeters
{
    /// <summary>
    /// Keeps instruments of meters made by <paramref name="factory"/>, and of meters made by no factory at all (the runtime's
    /// own, which are process-wide by nature); drops those another host's factory made.
    /// </summary>
    public static Func<Instrument, MetricStreamConfiguration?> Only(IMeterFactory factory) =>
        instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, factory) ? null : MetricStreamConfiguration.Drop;
}
