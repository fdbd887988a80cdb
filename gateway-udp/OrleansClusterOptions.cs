using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Gateway;

/// <summary>
/// Configuration section <c>Orleans</c>, the keys every process of the cluster reads: the stand-alone
/// gateway binds exactly these, the silo adds its own (<c>SiloOptions</c>), so one configuration serves both.
/// </summary>
public class OrleansClusterOptions
{
    public const string Section = "Orleans";

    /// <summary>The Npgsql invariant the ADO.NET providers load by name.</summary>
    public const string AdoNetInvariant = "Npgsql";

    public ClusteringMode Clustering { get; set; } = ClusteringMode.Localhost;

    public string ClusterId { get; set; } = "matchmaker";

    public string ServiceId { get; set; } = "matchmaker";

    /// <summary>Port Orleans clients connect to: the silo listens on it; a gateway in localhost mode dials it.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// How long a grain call may take before it fails (Orleans' default is 30 s). Clients retransmit for
    /// 10 s, so a call outliving that only holds an in-flight slot after its player has given up.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a gateway process re-reads the silo list from the membership table (Orleans' default is 1 min).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(10);
}
