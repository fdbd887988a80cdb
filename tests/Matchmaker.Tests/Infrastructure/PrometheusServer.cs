using System.Globalization;
using System.Text;
using System.Text.Json;
using Matchmaker.Tests.Cluster;

namespace Matchmaker.Tests.Infrastructure;

/// <summary>
/// A real Prometheus (Debian's package) on a free loopback port, scraping the given targets every second,
/// its configuration first checked by <c>promtool check config</c>. Data lives in a temporary folder
/// that is removed on dispose.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory;
    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private PrometheusServer(string directory, ChildProcess process, Uri address)
    {
        _directory = directory;
        _process = process;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public static async Task<PrometheusServer> StartAsync(IEnumerable<(string Job, int Port)> targets)
    {
        var directory = Directory.CreateTempSubdirectory("matchmaker-prometheus-").FullName;
        var config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n");
        foreach (var (job, target) in targets)
        {
            config.Append(CultureInfo.InvariantCulture, $"  - job_name: {job}\n    static_configs:\n      - targets: ['127.0.0.1:{target}']\n");
        }

        var configFile = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, config.ToString());
        await ChildProcess.RunAsync("promtool check config", "promtool", ["check", "config", configFile], StartTimeout);

        var port = FreePorts.Tcp();
        var process = ChildProcess.Start("prometheus", "prometheus",
        [
            $"--config.file={configFile}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        ]);
        var server = new PrometheusServer(directory, process, new Uri($"http://127.0.0.1:{port}"));
        await server.WaitReadyAsync();
        return server;
    }

    /// <summary>An instant query through the HTTP API: the series it returns, each as its labels and value.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promQl)
    {
        using var response = await _http.GetAsync(new Uri($"/api/v1/query?query={Uri.EscapeDataString(promQl)}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        if (!response.IsSuccessStatusCode || root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused '{promQl}': {body}");
        }

        var data = root.GetProperty("data");
        var series = new List<(Dictionary<string, string>, double)>();
        if (data.GetProperty("resultType").GetString() == "scalar")
        {
            series.Add(([], ParseValue(data.GetProperty("result"))));
            return series;
        }

        foreach (var item in data.GetProperty("result").EnumerateArray())
        {
            var labels = item.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            series.Add((labels, ParseValue(item.GetProperty("value"))));
        }

        return series;
    }

    /// <summary>Re-queries until <paramref name="condition"/> holds or the deadline passes; scrapes come every second.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryUntilAsync(
        string promQl, Func<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var result = await QueryAsync(promQl);
            if (condition(result) || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    // [ unix time, "value" ]: the value is a string so NaN and ±Inf survive JSON.
    private static double ParseValue(JsonElement pair) =>
        double.Parse(pair[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited during start-up:\n{_process.Output}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri("/-/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"prometheus not ready within {StartTimeout}:\n{_process.Output}");
    }
}
