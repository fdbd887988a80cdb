using System.Diagnostics;

namespace Matchmaker.Tests.Kubernetes;

/// <summary>
/// Replays a Dockerfile's build stage without a docker engine or registry (neither is reachable here): the
/// stage's <c>COPY</c>s from the repository, filtered by <c>.dockerignore</c> as docker's build context is,
/// into a scratch directory standing in for the image's file system, then its <c>RUN</c>s with this
/// machine's .NET SDK. The stage's absolute directories (its WORKDIR and the output the runtime stage
/// copies) are mapped into the scratch directory, so a COPY the publish needs and the Dockerfile lacks
/// fails here as it would in <c>docker build</c>.
/// </summary>
internal sealed class DockerBuildStage : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    private readonly string _root = Directory.CreateTempSubdirectory("mm-docker-").FullName;
    private readonly Dictionary<string, string> _mapped = new(StringComparer.Ordinal);

    /// <summary>Where the image path <paramref name="imagePath"/> (absolute) lives in the scratch directory.</summary>
    public string Map(string imagePath)
    {
        if (!_mapped.TryGetValue(imagePath, out var local))
        {
            local = Path.Combine(_root, imagePath.TrimStart('/'));
            Directory.CreateDirectory(local);
            _mapped[imagePath] = local;
        }

        return local;
    }

    public async Task RunAsync(DockerStage stage, string context, DockerIgnore ignore)
    {
        var workdir = Map("/");
        foreach (var instruction in stage.Instructions)
        {
            switch (instruction.Keyword)
            {
                case "WORKDIR":
                    workdir = Map(instruction.Arguments);
                    break;
                case "COPY":
                    Copy(instruction.Words, context, workdir, ignore);
                    break;
                case "RUN":
                    await ShellAsync(MapPaths(instruction.Arguments), workdir);
                    break;
                case "ENV":
                    throw new NotSupportedException("ENV in a build stage: set it for RUN here before relying on it.");
            }
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void Copy(string[] words, string context, string workdir, DockerIgnore ignore)
    {
        if (words[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"COPY {words[0]} in a build stage");
        }

        var destination = Path.Combine(workdir, words[^1]);
        foreach (var source in words[..^1])
        {
            var from = Path.Combine(context, source);
            if (Directory.Exists(from))
            {
                CopyDirectory(from, destination, source.TrimEnd('/'), ignore);
            }
            else
            {
                Directory.CreateDirectory(destination);
                File.Copy(from, Path.Combine(destination, Path.GetFileName(source)));
            }
        }
    }

    private static void CopyDirectory(string from, string to, string relative, DockerIgnore ignore)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (!ignore.Excludes($"{relative}/{name}"))
            {
                CopyDirectory(directory, Path.Combine(to, name), $"{relative}/{name}", ignore);
            }
        }
    }

    private string MapPaths(string command) =>
        string.Join(' ', command.Split(' ').Select(word => _mapped.TryGetValue(word, out var local) ? local : word));

    private static async Task ShellAsync(string command, string workdir)
    {
        var start = new ProcessStartInfo("sh") { WorkingDirectory = workdir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);

        // dotnet test sets MSBuild's own variables for the test host; a nested build must not inherit them.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("sh did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"RUN {command} exited {process.ExitCode}:\n{await output}\n{await errors}");
        }
    }
}
