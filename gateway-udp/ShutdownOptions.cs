using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Gateway;

/// <summary>
/// Configuration section <c>Shutdown</c>: how a silo or gateway process stops on SIGTERM. Kubernetes'
/// <c>terminationGracePeriodSeconds</c> must exceed <see cref="Timeout"/>, or the kubelet's SIGKILL cuts
/// the silo off before it leaves membership and the cluster has to detect it as failed.
/// </summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>The whole graceful stop: readiness drain, request drain, then leaving the cluster.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long <c>/health/ready</c> answers 503 while the process still serves everything, so load
    /// balancers and endpoint lists stop sending new players here before anything stops.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReadinessDrain { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Once new requests are refused, how long the gateway waits for answers to requests already sent to
    /// the cluster and for pending pushes to be acknowledged.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RequestDrain { get; set; } = TimeSpan.FromSeconds(5);
}
