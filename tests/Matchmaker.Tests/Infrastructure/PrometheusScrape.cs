using System.Globalization;

namespace Matchmaker.Tests.Infrastructure;

/// <summary>Reads a counter from the silo's real /metrics endpoint in Prometheus text format.</summary>
internal static class PrometheusScrape
{
    private static readonly HttpClient Http = new();

    public static async Task<double> ReadAsync(Uri baseAddress, string metric, params (string Label, string Value)[] labels)
    {
        var text = await Http.GetStringAsync(new Uri(baseAddress, "/metrics"));
        var total = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(metric + "{", StringComparison.Ordinal) || !labels.All(l => line.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                continue;
            }

            total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }

        return total;
    }
}
