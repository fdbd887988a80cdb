namespace Matchmaker.Tests.Kubernetes;

/// <summary>One instruction, its keyword upper-cased and its arguments as written.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments)
{
    public string[] Words => Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
