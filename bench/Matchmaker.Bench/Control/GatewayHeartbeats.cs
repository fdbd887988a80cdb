using System.Globalization;

namespace Matchmaker.Bench.Control;

/// <summary>
/// The gateway's heartbeat counters read from its Prometheus text: answered after a grain call
/// (<c>result="ok"</c>) and answered under a renewal lease (<c>result="leased"</c>).
/// </summary>
internal readonly record struct GatewayHeartbeats(long Forwarded, long Leased)
{
    private const string Packets = "matchmaker_gateway_packets_total{";

    public static GatewayHeartbeats Read(Uri metrics)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        long forwarded = 0, leased = 0;
        foreach (var line in http.GetStringAsync(metrics).GetAwaiter().GetResult().Split('\n'))
        {
            if (!line.StartsWith(Packets, StringComparison.Ordinal) || !line.Contains("type=\"heartbeat\"", StringComparison.Ordinal))
            {
                continue;
            }

            // "name{labels} value [timestamp]"
            var fields = line[(line.LastIndexOf('}') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var value = (long)double.Parse(fields[0], CultureInfo.InvariantCulture);
            if (line.Contains("result=\"ok\"", StringComparison.Ordinal))
            {
                forwarded += value;
            }
            else if (line.Contains("result=\"leased\"", StringComparison.Ordinal))
            {
                leased += value;
            }
        }

        return new GatewayHeartbeats(forwarded, leased);
    }
}
