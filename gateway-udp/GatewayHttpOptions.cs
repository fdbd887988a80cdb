using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Gateway;

/// <summary>Configuration section <c>Http</c> of the stand-alone gateway process.</summary>
public sealed class GatewayHttpOptions
{
    public const string Section = "Http";

    /// <summary>9465, one above the silo's 9464, so a gateway can run beside a silo on one machine.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 9465;
}
