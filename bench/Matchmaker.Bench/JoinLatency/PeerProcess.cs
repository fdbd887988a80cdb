using System.Diagnostics;

namespace Matchmaker.Bench.JoinLatency;

/// <summary>A <see cref="JoinLatencyPeer"/> running inside a lab host (through <c>natlab.sh exec</c>), spoken to by lines.</summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stderr = [];

    private PeerProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Add(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public static PeerProcess Start(string natlab, LabSide side, string role, string server)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { natlab, "exec", side.LabHost, "--", "dotnet", typeof(PeerProcess).Assembly.Location, "join-latency-peer", "--role", role, "--server", server }.Concat(side.PeerArguments))
        {
            start.ArgumentList.Add(argument);
        }

        return new PeerProcess(Process.Start(start) ?? throw new InvalidOperationException("bash did not start"));
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The next stdout line, or an exception naming what the peer printed on stderr.</summary>
    public async Task<string> ReadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _process.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException($"peer exited: {Stderr()}");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"peer silent for {timeout.TotalSeconds:F0} s: {Stderr()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private string Stderr()
    {
        lock (_stderr)
        {
            return string.Join(" | ", _stderr.TakeLast(5));
        }
    }
}
