using System.Globalization;
using System.Net;

namespace Matchmaker.Bench.Soak;

/// <summary>
/// Settings of one <c>soak</c> run, every one bounded: the run always ends at <see cref="Duration"/>,
/// and only a loopback gateway is accepted (the players are simulated on 127.1.0.0/16).
/// </summary>
public sealed record SoakOptions
{
    public const int MaxPlayers = 50_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(2);

    public required IPEndPoint Server { get; init; }

    /// <summary>The silo (or gateway) process whose memory is sampled.</summary>
    public required int ProcessId { get; init; }

    /// <summary>The silo's Prometheus endpoint; with it every sample induces a full collection in the silo and records the live heap. Optional.</summary>
    public Uri? Metrics { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    public int Players { get; init; } = 10_000;

    /// <summary>Players start at random moments in this window, so registration is not one burst.</summary>
    public TimeSpan Ramp { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long (1 to 1.5 times this) a pair stays in a lobby before both leave and the host opens
    /// another. At least 6 s keeps each host within the default quota of 10 lobbies a minute.
    /// </summary>
    public TimeSpan LobbyLifetime { get; init; } = TimeSpan.FromSeconds(20);

    public bool Json { get; init; }

    public static bool TryParse(ReadOnlySpan<string> args, out SoakOptions options, out string error)
    {
        options = null!;
        error = "";
        IPEndPoint? server = null;
        int? pid = null;
        var parsed = new SoakOptions { Server = new IPEndPoint(IPAddress.Loopback, 3478), ProcessId = 0 };
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--json")
            {
                parsed = parsed with { Json = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value";
                return false;
            }

            var value = args[++i];
            var seconds = double.TryParse(value, CultureInfo.InvariantCulture, out var parsedSeconds) && parsedSeconds > 0
                ? TimeSpan.FromSeconds(parsedSeconds)
                : (TimeSpan?)null;
            var count = int.TryParse(value, CultureInfo.InvariantCulture, out var parsedCount) ? parsedCount : 0;
            switch (name)
            {
                case "--server" when IPEndPoint.TryParse(value, out var endpoint):
                    server = endpoint;
                    break;
                case "--metrics" when Uri.TryCreate(value, UriKind.Absolute, out var metrics):
                    parsed = parsed with { Metrics = metrics };
                    break;
                case "--pid" when count > 0:
                    pid = count;
                    break;
                case "--players" when count is >= 2 and <= MaxPlayers:
                    parsed = parsed with { Players = count };
                    break;
                case "--duration" when seconds is { } duration:
                    parsed = parsed with { Duration = duration };
                    break;
                case "--ramp" when seconds is { } ramp:
                    parsed = parsed with { Ramp = ramp };
                    break;
                case "--sample" when seconds is { } sample:
                    parsed = parsed with { SampleInterval = sample };
                    break;
                case "--lobby-lifetime" when seconds is { } lifetime:
                    parsed = parsed with { LobbyLifetime = lifetime };
                    break;
                default:
                    error = $"bad {name} '{value}'";
                    return false;
            }
        }

        if (server is null || pid is null)
        {
            error = "--server and --pid are required";
            return false;
        }

        if (!IPAddress.IsLoopback(server.Address))
        {
            error = "the soak only targets a gateway on loopback";
            return false;
        }

        if (parsed.Duration > MaxDuration || parsed.Ramp >= parsed.Duration)
        {
            error = $"--duration must be at most {MaxDuration.TotalSeconds} s and longer than --ramp";
            return false;
        }

        options = parsed with { Server = server, ProcessId = pid.Value };
        return true;
    }
}
