using System.Globalization;
using System.Net;

namespace Matchmaker.Bench.Relay;

/// <summary>
/// <c>relay-load</c>'s settings. The flow is <c>turnutils_uclient</c>'s (sessions × messages of a length),
/// offered open-loop at <see cref="Rate"/> messages/s in total, or every <c>--interval-ms</c> per session as
/// uclient paces; 0 for both means as fast as the generator can. The first <see cref="WarmupMs"/> of
/// traffic is sent but not measured, for either server (the JIT's first tiers, coturn's first channel use).
/// </summary>
internal sealed record RelayLoadOptions(
    IPEndPoint Relay,
    string? SecretFile,
    string? TurnUser,
    string? TurnPassword,
    int Sessions,
    int Messages,
    double Rate,
    int Length,
    int WarmupMs)
{
    public const string Usage =
        "usage: relay-load --relay 127.0.0.1:P (--secret-file FILE | --turn USER:PASS) [--sessions 50] [--messages 2000] " +
        "[--rate MSGS_PER_S | --interval-ms 1] [--length 100] [--warmup-ms 500]";

    public bool IsTurn => TurnUser is not null;

    public static RelayLoadOptions? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        if (!values.TryGetValue("--relay", out var relay) || !IPEndPoint.TryParse(relay, out var endpoint))
        {
            return null;
        }

        string? user = null, password = null;
        if (values.TryGetValue("--turn", out var credentials))
        {
            if (credentials.Split(':', 2) is not [var u, var p])
            {
                return null;
            }

            (user, password) = (u, p);
        }

        values.TryGetValue("--secret-file", out var secretFile);
        if ((secretFile is null) == (user is null))
        {
            return null;
        }

        int Int(string key, int fallback, int max) => Math.Clamp(values.TryGetValue(key, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback, 0, max);
        var sessions = Math.Max(1, Int("--sessions", 50, 1000));
        var interval = Int("--interval-ms", 1, 1000);
        var rate = values.TryGetValue("--rate", out var rateText)
            ? Math.Max(0, double.Parse(rateText, CultureInfo.InvariantCulture))
            : interval > 0 ? sessions * 1000.0 / interval : 0;
        return new RelayLoadOptions(endpoint, secretFile, user, password, sessions, Math.Max(1, Int("--messages", 2000, 1_000_000)), rate, Math.Max(16, Int("--length", 100, 1100)), Int("--warmup-ms", 500, 10_000));
    }
}
