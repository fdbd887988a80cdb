using System.Text.Json;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Observability;

/// <summary>The Grafana dashboard in k8s/, read as Grafana reads it: every panel (rows included) and its PromQL targets.</summary>
internal sealed record GrafanaDashboard(IReadOnlyList<GrafanaPanel> Panels)
{
    public static string FilePath => RepositoryRoot.Combine("k8s", "base", "dashboards", "matchmaker.json");

    public static GrafanaDashboard Load()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(FilePath));
        var panels = new List<GrafanaPanel>();
        Collect(json.RootElement.GetProperty("panels"), panels);
        return new GrafanaDashboard(panels);
    }

    /// <summary>
    /// Grafana's interval variables, replaced as Grafana would for a short range: one minute holds dozens
    /// of the test's one-second scrapes, so rate() has samples to work with.
    /// </summary>
    public static string Expand(string expression) => expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal);

    /// <summary>
    /// Runs every panel's queries (except <paramref name="skipped"/> panels) against
    /// <paramref name="prometheus"/>, each re-tried until it has a finite value or the timeout passes;
    /// returns one line per query that stayed blank (a blank chart in production).
    /// </summary>
    public async Task<IReadOnlyList<string>> BlankQueriesAsync(PrometheusServer prometheus, TimeSpan timeout, IReadOnlySet<int>? skipped = null)
    {
        var blank = new List<string>();
        foreach (var panel in Panels.Where(p => skipped?.Contains(p.Id) != true))
        {
            foreach (var expression in panel.Expressions)
            {
                var result = await prometheus.QueryUntilAsync(Expand(expression), HasFiniteValue, timeout);
                if (!HasFiniteValue(result))
                {
                    blank.Add($"panel {panel.Id} '{panel.Title}': {expression} -> {result.Count} series");
                }
            }
        }

        return blank;
    }

    private static bool HasFiniteValue(IReadOnlyList<(Dictionary<string, string> Labels, double Value)> result) =>
        result.Any(s => double.IsFinite(s.Value));

    private static void Collect(JsonElement array, List<GrafanaPanel> panels)
    {
        foreach (var panel in array.EnumerateArray())
        {
            var type = panel.GetProperty("type").GetString()!;
            if (type == "row")
            {
                Collect(panel.GetProperty("panels"), panels);
                continue;
            }

            var expressions = panel.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!).ToList();
            panels.Add(new GrafanaPanel(panel.GetProperty("id").GetInt32(), panel.GetProperty("title").GetString()!, expressions));
        }
    }
}
