using System.Diagnostics.Metrics;

namespace Matchmaker.Fuzz;

/// <summary>The meter factory a component under fuzz asks for; nobody listens, so counting costs nothing.</summary>
internal sealed class FuzzMeters : IMeterFactory
{
    public Meter Create(MeterOptions options) => new(options);

    public void Dispose()
    {
        // Meters live as long as the fuzzing process.
    }
}
