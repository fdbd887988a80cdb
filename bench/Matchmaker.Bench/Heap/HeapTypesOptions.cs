using System.Globalization;

namespace Matchmaker.Bench.Heap;

/// <summary>
/// Settings of one <c>heap-types</c> run: either a walk of a running process (<see cref="ProcessId"/>)
/// or a comparison of two saved snapshots (<see cref="DiffFiles"/>).
/// </summary>
public sealed record HeapTypesOptions
{
    public int? ProcessId { get; init; }

    /// <summary>The process's Prometheus endpoint; with it a full blocking collection is induced first (as the soak does).</summary>
    public Uri? Metrics { get; init; }

    /// <summary>Count only objects reachable from the roots, not everything the segments hold.</summary>
    public bool Live { get; init; }

    public string? SavePath { get; init; }

    public string? BaselinePath { get; init; }

    public (string Before, string After)? DiffFiles { get; init; }

    public int Top { get; init; } = 30;

    /// <summary>Types whose retention paths are printed (needs <see cref="Live"/>).</summary>
    public IReadOnlyList<string> PathTypes { get; init; } = [];

    public int PathSamples { get; init; } = 3;

    public static bool TryParse(ReadOnlySpan<string> args, out HeapTypesOptions options, out string error)
    {
        options = new HeapTypesOptions();
        error = "";
        var parsed = options;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--live")
            {
                parsed = parsed with { Live = true };
                continue;
            }

            if (name == "--diff" && i + 2 < args.Length)
            {
                parsed = parsed with { DiffFiles = (args[i + 1], args[i + 2]) };
                i += 2;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value";
                return false;
            }

            var value = args[++i];
            var number = int.TryParse(value, CultureInfo.InvariantCulture, out var parsedNumber) && parsedNumber > 0 ? parsedNumber : (int?)null;
            switch (name)
            {
                case "--pid" when number is { } pid:
                    parsed = parsed with { ProcessId = pid };
                    break;
                case "--metrics" when Uri.TryCreate(value, UriKind.Absolute, out var metrics):
                    parsed = parsed with { Metrics = metrics };
                    break;
                case "--save":
                    parsed = parsed with { SavePath = value };
                    break;
                case "--baseline":
                    parsed = parsed with { BaselinePath = value };
                    break;
                case "--top" when number is { } top:
                    parsed = parsed with { Top = top };
                    break;
                case "--path":
                    parsed = parsed with { PathTypes = [.. parsed.PathTypes, value] };
                    break;
                case "--samples" when number is { } samples:
                    parsed = parsed with { PathSamples = samples };
                    break;
                default:
                    error = $"bad {name} '{value}'";
                    return false;
            }
        }

        if (parsed.ProcessId is null == parsed.DiffFiles is null)
        {
            error = "give either --pid PID or --diff BEFORE.json AFTER.json";
            return false;
        }

        if (parsed.PathTypes.Count > 0 && !parsed.Live)
        {
            error = "--path needs --live (paths come from the mark)";
            return false;
        }

        options = parsed;
        return true;
    }
}
