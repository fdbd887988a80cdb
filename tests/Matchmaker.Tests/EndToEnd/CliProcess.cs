using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Matchmaker.Tests.EndToEnd;

/// <summary>The real <c>mm</c> executable as a child process, its stdout read as JSON events.</summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly List<string> _transcript = [];

    private CliProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => OnLine(line.Data);
        _process.ErrorDataReceived += (_, line) => Record("stderr: " + line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Transcript
    {
        get
        {
            lock (_transcript)
            {
                return string.Join('\n', _transcript);
            }
        }
    }

    public static CliProcess Start(params string[] arguments) => StartWrapped([], arguments);

    /// <summary>Runs mm under a wrapper command, e.g. the NAT lab's <c>exec HOST --</c> to run it inside a namespace.</summary>
    public static CliProcess StartWrapped(IReadOnlyList<string> wrapper, params string[] arguments)
    {
        var start = new ProcessStartInfo(wrapper.Count > 0 ? wrapper[0] : "env")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var part in wrapper.Skip(1).Concat(wrapper.Count > 0 ? ["env"] : []))
        {
            start.ArgumentList.Add(part);
        }

        // A test run started as a background job of a non-interactive shell (as CI may start it) inherits
        // SIGINT ignored, and .NET keeps an inherited SIG_IGN: mm would never see Ctrl+C. A player's shell
        // gives it the default, so the tests do too.
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mm.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new CliProcess(Process.Start(start)!);
    }

    public Task<JsonElement> WaitForEventAsync(string name, TimeSpan? timeout = null) => WaitForEventAsync([name], timeout);

    /// <summary>The next event whose name is one of <paramref name="names"/>.</summary>
    public async Task<JsonElement> WaitForEventAsync(string[] names, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var element = await _events.Reader.ReadAsync(cts.Token);
                if (names.Contains(element.GetProperty("event").GetString()))
                {
                    return element;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"No '{string.Join("/", names)}' event. Transcript:\n{Transcript}");
        }
    }

    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>
    /// Sends a signal (e.g. "INT", "TERM") to mm. A namespace wrapper execs into it (natlab.sh exec, ip netns
    /// exec), so the child process is mm's own dotnet process.
    /// </summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
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

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _events.Writer.TryComplete();
            return;
        }

        Record(line);
        try
        {
            using var document = JsonDocument.Parse(line);
            _events.Writer.TryWrite(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            // Every stdout line must be JSON with --json; the assertion on events will show the transcript.
        }
    }

    private void Record(string line)
    {
        lock (_transcript)
        {
            _transcript.Add(line);
        }
    }
}
