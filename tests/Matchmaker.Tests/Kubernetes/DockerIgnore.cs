namespace Matchmaker.Tests.Kubernetes;

/// <summary>
/// The repository's <c>.dockerignore</c>, for the two pattern forms it uses: <c>**/NAME/</c> (a directory
/// of that name anywhere) and <c>NAME/</c> (that directory at the root). Any other form fails the read,
/// so the build-context copy never silently includes what docker would leave out.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly HashSet<string> _anywhere = new(StringComparer.Ordinal);
    private readonly HashSet<string> _atRoot = new(StringComparer.Ordinal);

    public DockerIgnore(string text)
    {
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var name = line.StartsWith("**/", StringComparison.Ordinal) ? line[3..] : line;
            if (!name.EndsWith('/') || name[..^1].IndexOfAny(['/', '*', '?', '[', '!']) >= 0)
            {
                throw new FormatException($".dockerignore pattern '{line}' is not one the tests know how to apply.");
            }

            (line.StartsWith("**/", StringComparison.Ordinal) ? _anywhere : _atRoot).Add(name[..^1]);
        }
    }

    /// <summary>Whether the directory at <paramref name="relativePath"/> (from the context root, '/'-separated) is left out.</summary>
    public bool Excludes(string relativePath)
    {
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return _anywhere.Contains(name) || (_atRoot.Contains(name) && !relativePath.Contains('/', StringComparison.Ordinal));
    }
}
