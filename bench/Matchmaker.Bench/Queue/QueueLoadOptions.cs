using System.Globalization;

namespace Matchmaker.Bench.Queue;

/// <summary>
/// Settings of one <c>queue-load</c> run, every one bounded: the run offers <see cref="Rate"/> × <see cref="Seconds"/>
/// tickets (at most <see cref="MaxTicketsCap"/>) and then waits at most <see cref="DrainSeconds"/> for matches.
/// </summary>
internal sealed record QueueLoadOptions
{
    public const int MaxTicketsCap = 300_000;

    public int Rate { get; init; } = 1000;

    public int Seconds { get; init; } = 10;

    public int DrainSeconds { get; init; } = 3;

    /// <summary>Seconds of unmeasured load before the run (JIT tiering, first activations); see <c>WarmUpAsync</c>.</summary>
    public int WarmupSeconds { get; init; } = 2;

    public int Regions { get; init; } = 4;

    public int Size { get; init; } = 2;

    /// <summary>Share of players behind symmetric NATs; the rest follow <see cref="NatMix"/>.</summary>
    public double Symmetric { get; init; } = 0.10;

    /// <summary>The reference configuration: every ticket in one queue grain (<c>Queues:Sharded=false</c>).</summary>
    public bool Unsharded { get; init; }

    public int SiloPort { get; init; } = 5601;

    public int Seed { get; init; } = 42;

    public string? Label { get; init; }

    public bool Json { get; init; }

    /// <summary>Counts grain calls per ticket (<see cref="CallCounter"/>); costs a little, so off for timed runs.</summary>
    public bool CountCalls { get; init; }

    public int Tickets => Rate * Seconds;

    public static bool TryParse(ReadOnlySpan<string> args, out QueueLoadOptions options, out string error)
    {
        options = new QueueLoadOptions();
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--json":
                    options = options with { Json = true };
                    continue;
                case "--unsharded":
                    options = options with { Unsharded = true };
                    continue;
                case "--count-calls":
                    options = options with { CountCalls = true };
                    continue;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value";
                return false;
            }

            var value = args[++i];
            switch (name)
            {
                case "--rate" when TryInt(value, 1, 100_000, out var rate):
                    options = options with { Rate = rate };
                    break;
                case "--seconds" when TryInt(value, 1, 120, out var seconds):
                    options = options with { Seconds = seconds };
                    break;
                case "--drain" when TryInt(value, 0, 60, out var drain):
                    options = options with { DrainSeconds = drain };
                    break;
                case "--warmup" when TryInt(value, 1, 60, out var warmup):
                    options = options with { WarmupSeconds = warmup };
                    break;
                case "--regions" when TryInt(value, 1, 32, out var regions):
                    options = options with { Regions = regions };
                    break;
                case "--size" when TryInt(value, 2, 16, out var size):
                    options = options with { Size = size };
                    break;
                case "--symmetric" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) && share is >= 0 and <= 1:
                    options = options with { Symmetric = share };
                    break;
                case "--silo-port" when TryInt(value, 1024, 65000, out var port):
                    options = options with { SiloPort = port };
                    break;
                case "--seed" when TryInt(value, 0, int.MaxValue, out var seed):
                    options = options with { Seed = seed };
                    break;
                case "--label":
                    options = options with { Label = value };
                    break;
                default:
                    error = $"{name} {value} is not a valid option";
                    return false;
            }
        }

        if (options.Tickets > MaxTicketsCap)
        {
            error = $"--rate × --seconds must stay ≤ {MaxTicketsCap} tickets";
            return false;
        }

        return true;
    }

    private static bool TryInt(string value, int min, int max, out int result) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;
}
