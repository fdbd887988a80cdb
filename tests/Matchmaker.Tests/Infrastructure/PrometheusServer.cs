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
    private readonly ChildProcess? _bridge;
    private readonly HttpClient _http;

    private PrometheusServer(string directory, ChildProcess process, ChildProcess? bridge, HttpClient http)
    {
        _directory = directory;
        _process = process;
        _bridge = bridge;
        _http = http;
    }

    /// <summary>A Prometheus on host loopback scraping targets on host loopback.</summary>
    public static Task<PrometheusServer> StartAsync(IEnumerable<(string Job, int Port)> targets) => StartAsync(targets, networkNamespace: null);

    /// <summary>
    /// A Prometheus inside <paramref name="networkNamespace"/> (a NAT lab's gateway host), scraping
    /// targets on that namespace's loopback. The lab is never routed to the host, so the test reaches the
    /// HTTP API through a unix socket (socat in the namespace): file system paths are not per namespace.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(IEnumerable<(string Job, int Port)> targets, string? networkNamespace)
    {
        var directory = Directory.CreateTempSubdirectory("matchmaker-prometheus-").FullName;
        var config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n");
        foreach (var job in targets.GroupBy(t => t.Job, t => $"'127.0.0.1:{t.Port}'"))
        {
            config.Append(CultureInfo.InvariantCulture, $"  - job_name: {job.Key}\n    static_configs:\n      - targets: [{string.Join(", ", job)}]\n");
        }

        var configFile = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, config.ToString());
        await ChildProcess.RunAsync("promtool check config", "promtool", ["check", "config", configFile], StartTimeout);

        var port = FreePorts.Tcp();
        string[] inNamespace = networkNamespace is null ? [] : ["ip", "netns", "exec", networkNamespace];
        string[] prometheus =
        [
            .. inNamespace, "prometheus", $"--config.file={configFile}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        ];
        var process = ChildProcess.Start("prometheus", prometheus[0], prometheus[1..]);
        if (networkNamespace is null)
        {
            var direct = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            return await ReadyAsync(new PrometheusServer(directory, process, null, direct));
        }

        var socket = Path.Combine(directory, "api.sock");
        var bridge = ChildProcess.Start("socat", "ip", ["netns", "exec", networkNamespace, "socat", $"UNIX-LISTEN:{socket},fork", $"TCP:127.0.0.1:{port}"]);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var unix = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                try
                {
                    await unix.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socket), cancellationToken);
                    return new System.Net.Sockets.NetworkStream(unix, ownsSocket: true);
                }
                catch
                {
                    unix.Dispose();
                    throw;
                }
            },
        };
        var bridged = new HttpClient(handler) { BaseAddress = new Uri("http://prometheus.lab"), Timeout = TimeSpan.FromSeconds(10) };
        return await ReadyAsync(new PrometheusServer(directory, process, bridge, bridged));
    }

    private static async Task<PrometheusServer> ReadyAsync(PrometheusServer server)
    {
        try
        {
            await server.WaitReadyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
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
        if (_bridge is not null)
        {
            await _bridge.DisposeAsync();
        }

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
            catch (Exception exception) when (exception is HttpRequestException or System.Net.Sockets.SocketException)
            {
                // Not listening yet (or the bridge's socket not yet there).
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"prometheus not ready within {StartTimeout}:\n{_process.Output}");
    }
}
