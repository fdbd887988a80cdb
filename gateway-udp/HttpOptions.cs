using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Gateway;

/// <summary>
/// Configuration section <c>Http</c>: health and metrics endpoints of a silo or a gateway process. Each
/// host has its own default port (<see cref="SiloDefaultPort"/>, <see cref="GatewayDefaultPort"/>).
/// </summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>The port OpenTelemetry's Prometheus exporter conventionally uses.</summary>
    public const int SiloDefaultPort = 9464;

    /// <summary>One above the silo's, so a gateway process can run beside a silo on one machine.</summary>
    public const int GatewayDefaultPort = 9465;

    [Range(0, 65535)]
    public int Port { get; set; } = SiloDefaultPort;
}
