using System.Diagnostics;
using System.Globalization;

namespace Matchmaker.Bench.JoinLatency;

/// <summary>
/// The port forward an <c>upnp+open-port</c> side declares, made on the lab's UPnP router with miniupnpc's
/// <c>upnpc</c> from the LAN host (as a user's router page would) and removed again when disposed.
/// </summary>
internal sealed class OpenPortForward : IAsyncDisposable
{
    private readonly string _natlab;
    private readonly string _igd;

    private OpenPortForward(string natlab, string igd)
    {
        _natlab = natlab;
        _igd = igd;
    }

    public static async Task<OpenPortForward> AddAsync(string natlab)
    {
        var env = (await RunAsync("bash", natlab, "env"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);
        var forward = new OpenPortForward(natlab, env["NATLAB_UPNP_IGD_URL"]);
        await forward.UpnpcAsync("-a", env["NATLAB_UPNP_IP4"], Port(LabSide.OpenLocalPort), Port(LabSide.OpenExternalPort), "udp");
        return forward;
    }

    public async ValueTask DisposeAsync() => await UpnpcAsync("-d", Port(LabSide.OpenExternalPort), "udp");

    private Task<string> UpnpcAsync(params string[] arguments) =>
        RunAsync("bash", [_natlab, "exec", "upnp", "--", "upnpc", "-i", "-u", _igd, .. arguments]);

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
    }
}
