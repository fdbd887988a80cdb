using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Gateway;

/// <summary>
/// The part of configuration section <c>Orleans</c> a stand-alone gateway needs to reach the cluster:
/// the same keys the silo reads, so one configuration serves both processes.
/// </summary>
public sealed class ClusterClientSettings
{
    public const string Section = "Orleans";

    /// <summary>The Npgsql invariant the ADO.NET providers load by name.</summary>
    public const string AdoNetInvariant = "Npgsql";

    public ClusteringMode Clustering { get; set; } = ClusteringMode.Localhost;

    public string ClusterId { get; set; } = "matchmaker";

    public string ServiceId { get; set; } = "matchmaker";

    /// <summary>In localhost mode, the silo's client gateway port on this machine.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;
}
