using System.Diagnostics;

namespace Matchmaker.Tests.Cluster;

/// <summary>A separate OS process (silo, gateway, PostgreSQL tool) whose output is kept for failure messages.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<(string Fragment, TaskCompletionSource Seen)> _awaited = [];

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, line) => Record(line.Data);
        _process.ErrorDataReceived += (_, line) => Record(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(60));
            }
        }
    }

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new ChildProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start"));
    }

    /// <summary>Runs a command to completion and fails with its output unless it exits 0.</summary>
    public static async Task RunAsync(string name, string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        await using var child = Start(name, fileName, arguments);
        using var cancellation = new CancellationTokenSource(timeout);
        await child._process.WaitForExitAsync(cancellation.Token);
        if (child._process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{name} exited {child._process.ExitCode}:\n{child.Output}");
        }
    }

    /// <summary>
    /// Polls the process's <c>/health/ready</c> against a deadline, never a fixed sleep. Readiness makes a
    /// grain call, so it answers 200 only once membership has formed and, for a gateway, once its cluster
    /// client has connected.
    /// </summary>
    public async Task WaitReadyAsync(HttpClient http, int httpPort, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited during start-up:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A grain call still waiting for membership.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"{Name} not ready within {timeout}:\n{Output}");
    }

    /// <summary>SIGKILL: the process gets no chance to leave the cluster, as when a node dies.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, what Kubernetes and systemd send first: the process may stop gracefully.</summary>
    public Task TerminateAsync() =>
        RunAsync("kill", "kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} still running {timeout} later:\n{Output}");
        }
    }

    /// <summary>Completes when a line of output contains <paramref name="fragment"/> (already printed counts); fails with the output on timeout or exit.</summary>
    public async Task WaitForOutputAsync(string fragment, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.Exists(line => line.Contains(fragment, StringComparison.Ordinal)))
            {
                return;
            }

            _awaited.Add((fragment, seen));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (first != seen.Task)
        {
            throw new TimeoutException($"{Name} printed no line with '{fragment}' ({(first == exited ? "it exited" : "timed out")}):\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
                foreach (var (fragment, seen) in _awaited)
                {
                    if (line.Contains(fragment, StringComparison.Ordinal))
                    {
                        seen.TrySetResult();
                    }
                }
            }
        }
    }
}
