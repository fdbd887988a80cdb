using System.Diagnostics;

namespace Matchmaker.Tests.Cluster;

/// <summary>A separate OS process (silo, gateway, PostgreSQL tool) whose output is kept for failure messages.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

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
            }
        }
    }
}
