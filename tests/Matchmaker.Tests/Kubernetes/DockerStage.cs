namespace Matchmaker.Tests.Kubernetes;

/// <summary>One <c>FROM</c> stage: its base image, its name, and what it does.</summary>
internal sealed record DockerStage(string BaseImage, string Name, List<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);
}
