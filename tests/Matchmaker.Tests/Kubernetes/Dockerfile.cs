namespace Matchmaker.Tests.Kubernetes;

/// <summary>
/// A Dockerfile read into its stages and instructions: just enough of the format (continuation lines,
/// comments, <c>FROM … AS name</c>) for the k8s/docker files, which use nothing else. An instruction
/// this reader does not know fails the read, so a Dockerfile cannot outgrow what the tests check.
/// </summary>
internal sealed record Dockerfile(IReadOnlyList<DockerStage> Stages)
{
    private static readonly HashSet<string> Known = ["FROM", "WORKDIR", "COPY", "RUN", "USER", "EXPOSE", "ENTRYPOINT", "ENV"];

    public DockerStage Stage(string name) => Stages.Single(s => s.Name == name);

    public static Dockerfile Parse(string text)
    {
        var stages = new List<DockerStage>();
        foreach (var line in LogicalLines(text))
        {
            var split = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = line[..split].ToUpperInvariant();
            var arguments = line[(split + 1)..].Trim();
            if (!Known.Contains(keyword))
            {
                throw new FormatException($"Dockerfile instruction '{keyword}' is not one the tests know how to check.");
            }

            if (keyword == "FROM")
            {
                var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                stages.Add(new DockerStage(words[0], words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : "", []));
            }
            else
            {
                (stages.LastOrDefault() ?? throw new FormatException($"{keyword} before FROM")).Instructions.Add(new DockerInstruction(keyword, arguments));
            }
        }

        return new Dockerfile(stages);
    }

    private static IEnumerable<string> LogicalLines(string text)
    {
        var pending = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            yield return pending + line;
            pending = "";
        }
    }
}
