using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Cluster;

/// <summary>
/// A throw-away PostgreSQL in a temp dir on a free loopback port. PostgreSQL refuses to run as root,
/// so under root every server command runs as the <c>postgres</c> system user the Debian package creates.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _directory;
    private readonly string _binaries;

    private PostgresServer(DirectoryInfo directory, string binaries, int port)
    {
        _directory = directory;
        _binaries = binaries;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true";

    private string DataDirectory => Path.Combine(_directory.FullName, "data");

    private static bool IsRoot => Environment.UserName == "root";

    public static async Task<PostgresServer> StartAsync()
    {
        var binaries = FindBinaries();
        var directory = Directory.CreateTempSubdirectory("matchmaker-pg-");
        var server = new PostgresServer(directory, binaries, FreePorts.Tcp());
        if (IsRoot)
        {
            await ChildProcess.RunAsync("chown", "chown", ["-R", "postgres", directory.FullName], CommandTimeout);
        }

        await server.RunAsync("initdb", ["-D", server.DataDirectory, "-A", "trust", "-U", "postgres", "--no-sync"]);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on the same port and data; -w waits until it accepts connections.</summary>
    public Task StartAgainAsync() => RunAsync("pg_ctl",
    [
        "-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(_directory.FullName, "server.log"),
        "-o", $"-p {Port} -k {_directory.FullName} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    ]);

    /// <summary>An operator's restart, first half: fast shutdown (sessions are disconnected, nothing is lost).</summary>
    public Task StopAsync() => RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            _directory.Delete(recursive: true);
        }
    }

    private static string FindBinaries()
    {
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb"))).OrderByDescending(bin => bin, StringComparer.Ordinal).FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql (tests/run.sh installs them).");
    }

    private Task RunAsync(string tool, IEnumerable<string> arguments)
    {
        var path = Path.Combine(_binaries, tool);
        return IsRoot
            ? ChildProcess.RunAsync(tool, "runuser", ["-u", "postgres", "--", path, .. arguments], CommandTimeout)
            : ChildProcess.RunAsync(tool, path, arguments, CommandTimeout);
    }
}
