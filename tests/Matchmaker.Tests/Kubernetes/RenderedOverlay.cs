using System.Reflection;
using k8s;
using k8s.Models;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Kubernetes;

/// <summary>
/// One overlay of k8s/ rendered by kustomize and loaded into the Kubernetes client's typed models with
/// strict deserialization: an unknown field, a field in the wrong place or of the wrong type, or a kind
/// with no schema fails the load. This is the schema check.
/// </summary>
internal sealed class RenderedOverlay
{
    private static readonly Dictionary<string, Type> TypeMap = BuildTypeMap();

    private RenderedOverlay(string name, List<object> documents)
    {
        Name = name;
        Documents = documents;
    }

    public string Name { get; }

    public List<object> Documents { get; }

    public static async Task<RenderedOverlay> LoadAsync(string overlay)
    {
        var yaml = await Kustomize.RenderAsync(RepositoryRoot.Combine("k8s", "overlays", overlay));
        return new RenderedOverlay(overlay, Parse(yaml));
    }

    /// <summary>Strict: throws on anything the schema does not have.</summary>
    public static List<object> Parse(string yaml) => [.. KubernetesYaml.LoadAllFromString(yaml, TypeMap, strict: true)];

    public IEnumerable<T> All<T>() => Documents.OfType<T>();

    public T Single<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Documents.OfType<T>().SingleOrDefault(d => d.Metadata.Name == name)
            ?? throw new InvalidOperationException($"{Name}: no {typeof(T).Name} named {name}.");

    /// <summary>Every workload's pod template, named by its owner.</summary>
    public IEnumerable<(string Owner, V1PodTemplateSpec Template)> PodTemplates()
    {
        foreach (var deployment in All<V1Deployment>())
        {
            yield return ($"Deployment/{deployment.Metadata.Name}", deployment.Spec.Template);
        }

        foreach (var daemonSet in All<V1DaemonSet>())
        {
            yield return ($"DaemonSet/{daemonSet.Metadata.Name}", daemonSet.Spec.Template);
        }

        foreach (var job in All<V1Job>())
        {
            yield return ($"Job/{job.Metadata.Name}", job.Spec.Template);
        }
    }

    /// <summary>"apps/v1/Deployment" → V1Deployment, from the client's own model attributes, plus the one CRD k8s/ uses.</summary>
    private static Dictionary<string, Type> BuildTypeMap()
    {
        var map = new Dictionary<string, Type>(StringComparer.Ordinal) { [ServiceMonitor.ApiVersionKind] = typeof(ServiceMonitor) };
        foreach (var type in typeof(V1Pod).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { Kind: { Length: > 0 } kind } entity && !type.Name.EndsWith("List", StringComparison.Ordinal))
            {
                var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
                map.TryAdd($"{apiVersion}/{kind}", type);
            }
        }

        return map;
    }
}
