using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Gateway;

/// <summary>
/// Configuration section <c>Http</c>: health and metrics endpoints of a silo, a gateway or a relay process. Each
/// host has its own default port (<see cref="SiloDefaultPort"/>, <see cref="GatewayDefaultPort"/>, <see cref="RelayDefaultPort"/>).
/// </summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>The port OpenTelemetry's Prometheus exporter conventionally uses.</summary>
    public const int SiloDefaultPort = 9464;

    /// <summary>One above the silo's, so a gateway process can run beside a silo on one machine.</summary>
    public const int GatewayDefaultPort = 9465;

    /// <summary>Two above the silo's, so a relay process can run beside a silo and a gateway on one machine.</summary>
    public const int RelayDefaultPort = 9466;

    [Range(0, 65535)]
    public int Port { get; set; } = SiloDefaultPort;
}
