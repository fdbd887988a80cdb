using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Matchmaker.Tests.Kubernetes;

/// <summary>
/// The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), which the Kubernetes client has no
/// model for: the fields of the CRD's schema that k8s/ uses, typed, so strict loading still rejects a
/// misspelt or misplaced field. It is a subset: a field the CRD has but this model lacks fails too.
/// </summary>
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public const string ApiVersionKind = "monitoring.coreos.com/v1/ServiceMonitor";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ServiceMonitorSpec Spec { get; set; } = new();
}

public sealed class ServiceMonitorSpec
{
    [JsonPropertyName("jobLabel")]
    public string? JobLabel { get; set; }

    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("endpoints")]
    public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}

public sealed class ServiceMonitorEndpoint
{
    [JsonPropertyName("port")]
    public string? Port { get; set; }

    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("interval")]
    public string? Interval { get; set; }

    [JsonPropertyName("scrapeTimeout")]
    public string? ScrapeTimeout { get; set; }
}
