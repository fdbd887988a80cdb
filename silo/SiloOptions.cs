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

    /// <summary>
    /// Failure detection: each silo probes a few others every this often, and a probe unanswered for this
    /// long counts as missed. Orleans' default is 5 s; 2 s halves the time a dead silo's players wait,
    /// and is still far above a loaded 2-core silo's GC pauses.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive missed probes before a silo votes its peer dead (Orleans' default, 3).</summary>
    [Range(1, 10)]
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>How often a silo writes its I-am-alive time to the membership table (Orleans' default is 5 min).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan IAmAlivePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The bound on noticing a SIGKILLed silo: probes fail from the first missed one, so a dead silo is
    /// declared after about <see cref="MissedProbesLimit"/> probe periods, plus one for the vote.
    /// </summary>
    public TimeSpan FailureDetectionBound => ProbeTimeout * (MissedProbesLimit + 1);
}
