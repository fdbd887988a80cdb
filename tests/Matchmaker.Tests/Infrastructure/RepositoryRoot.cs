namespace Matchmaker.Tests.Infrastructure;

/// <summary>The checkout the tests were built from: k8s/ manifests and the dashboard are read from it, not copied.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Matchmaker.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Matchmaker.sln above {AppContext.BaseDirectory}.");
    }
}
