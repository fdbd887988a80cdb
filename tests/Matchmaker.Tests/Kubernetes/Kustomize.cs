using System.Diagnostics;

namespace Matchmaker.Tests.Kubernetes;

/// <summary>
/// Renders an overlay with the real kustomize inside kubectl (<c>kubectl kustomize</c>): Debian's
/// kubernetes-client (kustomize v2.0.3, which tests/run.sh installs) or a newer kubectl (v5); the
/// manifests use only fields both understand.
/// </summary>
internal static class Kustomize
{
    public static async Task<string> RenderAsync(string directory)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            throw new InvalidOperationException("kubectl is needed to render k8s/ overlays: apt-get install kubernetes-client (tests/run.sh does).", missing);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0
                ? await output
                : throw new InvalidOperationException($"kubectl kustomize {directory} exited {process.ExitCode}: {await errors}");
        }
    }
}
