namespace Matchmaker.Tests.Kubernetes;

/// <summary>
/// Image build stages publish whole services in Release: two cores' worth of compiler for minutes, so
/// they run alone, after the parallel collections, rather than starving timing-sensitive network tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerBuildCollection
{
    public const string Name = "Docker image builds";
}
