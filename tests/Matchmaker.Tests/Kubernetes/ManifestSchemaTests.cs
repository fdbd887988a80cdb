using k8s.Models;

namespace Matchmaker.Tests.Kubernetes;

/// <summary>Every overlay renders, and every document of it loads strictly into the Kubernetes typed models.</summary>
public sealed class ManifestSchemaTests
{
    public static TheoryData<string> Overlays => ["dev", "production"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_document_of_the_overlay_matches_its_Kubernetes_schema(string overlay)
    {
        var rendered = await RenderedOverlay.LoadAsync(overlay);

        Assert.NotEmpty(rendered.Documents);
        foreach (var document in rendered.Documents)
        {
            var meta = Assert.IsAssignableFrom<k8s.IKubernetesObject<V1ObjectMeta>>(document);
            Assert.False(string.IsNullOrEmpty(meta.Metadata?.Name), $"{overlay}: a {meta.Kind} without a name");
            Assert.False(string.IsNullOrEmpty(meta.Metadata!.NamespaceProperty), $"{overlay}: {meta.Kind}/{meta.Metadata.Name} has no namespace");
        }

        var kinds = rendered.Documents.Select(d => d.GetType().Name).ToHashSet();
        foreach (var kind in new[] { "V1Deployment", "V1DaemonSet", "V1Job", "V1Service", "V1PodDisruptionBudget", "V1ConfigMap", "V1ServiceAccount", "V1Role", "V1RoleBinding", "ServiceMonitor" })
        {
            Assert.Contains(kind, kinds);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_workload_selector_matches_its_pod_labels(string overlay)
    {
        var rendered = await RenderedOverlay.LoadAsync(overlay);

        var selectors = rendered.All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Selector, d.Spec.Template))
            .Concat(rendered.All<V1DaemonSet>().Select(d => (d.Metadata.Name, d.Spec.Selector, d.Spec.Template)));
        foreach (var (name, selector, template) in selectors)
        {
            // The API server refuses a workload whose selector does not select its own pods.
            Assert.All(selector.MatchLabels, label => Assert.Equal(label.Value, template.Metadata.Labels[label.Key]));
            Assert.NotEmpty(template.Spec.Containers);
            Assert.All(template.Spec.Containers, c => Assert.False(string.IsNullOrEmpty(c.Image), $"{name}/{c.Name} has no image"));
        }
    }

    [Fact]
    public void A_misspelt_field_is_rejected()
    {
        const string Yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: typo
            spec:
              replicas: 2
            """;

        Assert.Single(RenderedOverlay.Parse(Yaml));
        Assert.ThrowsAny<Exception>(() => RenderedOverlay.Parse(Yaml.Replace("replicas", "replica", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_field_of_the_wrong_type_is_rejected()
    {
        const string Yaml = """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: wrong
            spec:
              selector: SELECTOR
            """;

        Assert.Single(RenderedOverlay.Parse(Yaml.Replace("SELECTOR", "{matchLabels: {app: x}}", StringComparison.Ordinal)));
        Assert.ThrowsAny<Exception>(() => RenderedOverlay.Parse(Yaml.Replace("SELECTOR", "everything", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_kind_with_no_schema_is_rejected()
    {
        const string Yaml = """
            apiVersion: API
            metadata:
              name: unknown
            """;

        Assert.Single(RenderedOverlay.Parse(Yaml.Replace("API", "v1\nkind: ConfigMap", StringComparison.Ordinal)));
        Assert.ThrowsAny<Exception>(() => RenderedOverlay.Parse(Yaml.Replace("API", "example.com/v1\nkind: Mystery", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_misspelt_field_in_a_service_monitor_is_rejected()
    {
        const string Yaml = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata:
              name: typo
            spec:
              endpoints:
                - port: http
                  interval: 15s
            """;

        Assert.Single(RenderedOverlay.Parse(Yaml));
        Assert.ThrowsAny<Exception>(() => RenderedOverlay.Parse(Yaml.Replace("interval", "intervall", StringComparison.Ordinal)));
    }
}
