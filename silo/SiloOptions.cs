using System.ComponentModel.DataAnnotations;
using Matchmaker.Gateway;

namespace Matchmaker.Silo;

/// <summary>Configuration section <c>Orleans</c>: the keys shared with gateway processes, and the silo's own.</summary>
public sealed class SiloOptions : OrleansClusterOptions
{
    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>
    /// The address other silos and clients reach this silo at (AdoNet mode; Kubernetes passes the pod IP).
    /// Unset means 127.0.0.1: a cluster on one machine needs no further configuration.
    /// </summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>
    /// Orleans' Kubernetes hosting integration (AdoNet mode): silo name, advertised IP and cluster/service ids
    /// come from the downward API (POD_NAME, POD_NAMESPACE, POD_IP, ORLEANS_CLUSTER_ID, ORLEANS_SERVICE_ID),
    /// and silos whose pods are gone are declared dead at once rather than after missed probes.
    /// </summary>
    public bool KubernetesHosting { get; set; }
}
