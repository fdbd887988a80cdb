using System.ComponentModel.DataAnnotations;
using Matchmaker.Gateway;

namespace Matchmaker.Silo;

/// <summary>Configuration section <c>Orleans</c>.</summary>
public sealed class SiloOptions
{
    public const string Section = "Orleans";

    public ClusteringMode Clustering { get; set; } = ClusteringMode.Localhost;

    public string ClusterId { get; set; } = "matchmaker";

    public string ServiceId { get; set; } = "matchmaker";

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (separate gateway processes) connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients reach this silo at (AdoNet mode; Kubernetes passes the pod IP).
    /// Unset means 127.0.0.1: a cluster on one machine needs no further configuration.
    /// </summary>
    public string? AdvertisedIPAddress { get; set; }
}
