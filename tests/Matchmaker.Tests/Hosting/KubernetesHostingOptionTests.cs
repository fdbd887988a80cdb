using Matchmaker.Silo;

namespace Matchmaker.Tests.Hosting;

/// <summary><c>Orleans:KubernetesHosting</c> is opt-in and only meaningful with a membership provider behind it.</summary>
public sealed class KubernetesHostingOptionTests
{
    [Fact]
    public void Kubernetes_hosting_without_AdoNet_clustering_stops_start_up_naming_both_keys()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => MatchmakerSilo.Build(["--Orleans:KubernetesHosting=true"]));

        Assert.Contains("Orleans:KubernetesHosting", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Orleans:Clustering=AdoNet", failure.Message, StringComparison.Ordinal);
    }
}
