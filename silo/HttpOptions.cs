using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Silo;

/// <summary>Configuration section <c>Http</c>: health and metrics endpoints.</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>9464 is the port OpenTelemetry's Prometheus exporter conventionally uses.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 9464;
}
