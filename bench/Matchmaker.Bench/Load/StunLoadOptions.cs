using System.Globalization;
using System.Net;

namespace Matchmaker.Bench.Load;

/// <summary>
/// Settings of one <c>stun-load</c> run. Every knob is bounded so a typo cannot turn the tool into an
/// unbounded flood: the run stops at <see cref="WarmupSeconds"/> + <see cref="Seconds"/> or at
/// <see cref="MaxRequests"/>, whichever comes first, and only loopback targets are accepted.
/// </summary>
internal sealed record StunLoadOptions
{
    public const int MaxSeconds = 300;

    public required IPEndPoint Target { get; init; }

    public int Seconds { get; init; } = 10;

    public int WarmupSeconds { get; init; } = 1;

    public int Sockets { get; init; } = 4;

    public int Window { get; init; } = 64;

    /// <summary>RFC 8489's initial RTO: a response later than this is counted lost.</summary>
    public int TimeoutMs { get; init; } = 500;

    public long MaxRequests { get; init; } = 20_000_000;

    /// <summary>RFC 8489 §7 agents add FINGERPRINT so STUN can share a port with other traffic, as Matchmaker's does.</summary>
    public bool Fingerprint { get; init; } = true;

    public string? Label { get; init; }

    public bool Json { get; init; }

    public static bool TryParse(ReadOnlySpan<string> args, out StunLoadOptions options, out string error)
    {
        options = null!;
        error = "";
        IPEndPoint? target = null;
        var parsed = new StunLoadOptions { Target = new IPEndPoint(IPAddress.Loopback, 3478) };
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--json":
                    parsed = parsed with { Json = true };
                    continue;
                case "--no-fingerprint":
                    parsed = parsed with { Fingerprint = false };
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
                case "--target" when IPEndPoint.TryParse(value, out var endpoint):
                    target = endpoint;
                    break;
                case "--seconds" when TryInt(value, 1, MaxSeconds, out var seconds):
                    parsed = parsed with { Seconds = seconds };
                    break;
                case "--warmup" when TryInt(value, 0, 60, out var warmup):
                    parsed = parsed with { WarmupSeconds = warmup };
                    break;
                case "--sockets" when TryInt(value, 1, 64, out var sockets):
                    parsed = parsed with { Sockets = sockets };
                    break;
                case "--window" when TryInt(value, 1, 4096, out var window):
                    parsed = parsed with { Window = window };
                    break;
                case "--timeout-ms" when TryInt(value, 10, 10_000, out var timeout):
                    parsed = parsed with { TimeoutMs = timeout };
                    break;
                case "--max-requests" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max is >= 1 and <= 1_000_000_000:
                    parsed = parsed with { MaxRequests = max };
                    break;
                case "--label":
                    parsed = parsed with { Label = value };
                    break;
                default:
                    error = $"unknown option or bad value: {name} {value}";
                    return false;
            }
        }

        if (target is null)
        {
            error = "--target ip:port is required";
            return false;
        }

        // Load is for this machine only: a benchmark must never become traffic towards someone else.
        if (!IPAddress.IsLoopback(target.Address))
        {
            error = $"--target must be a loopback address, not {target.Address}";
            return false;
        }

        options = parsed with { Target = target };
        return true;
    }

    private static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}
