using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Gateway;

/// <summary>Configuration section <c>Gateway</c>. Every key is documented in README.md.</summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    private const int MaxAutomaticReceiveLoops = 8;

    public bool Enabled { get; set; } = true;

    /// <summary>Listening address; 0.0.0.0 binds each local IPv4 address separately, so replies always name the address they came from.</summary>
    public string Address { get; set; } = "0.0.0.0";

    [Range(0, 65535)]
    public int Port { get; set; } = 3478;

    /// <summary>Second port for RFC 5780 change-port tests.</summary>
    [Range(0, 65535)]
    public int AlternatePort { get; set; } = 3479;

    /// <summary>Second IP for RFC 5780 change-IP tests; requires a specific <see cref="Address"/>.</summary>
    public string? AlternateAddress { get; set; }

    /// <summary>
    /// An IPv6 address to listen on as well (same ports), named to clients in Register answers so they
    /// learn their public IPv6 endpoint with a Binding over IPv6 and can be planned <c>ipv6</c>.
    /// </summary>
    public string? Address6 { get; set; }

    /// <summary>
    /// Base64 key (≥ 32 bytes) for address cookies and per-player keys. Gateways of one cluster must
    /// share it; left empty, each process draws its own at start (fine for the single-process default).
    /// </summary>
    public string? Secret { get; set; }

    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan CookieLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Authenticated requests waiting on grains at once; beyond this they are dropped and counted.</summary>
    [Range(16, 1_000_000)]
    public int MaxInFlightRequests { get; set; } = 8192;

    /// <summary>
    /// Idle players whose heartbeats this node answers under their grains' renewal leases, at most (about 100 bytes
    /// each); beyond it leases are not recorded and those heartbeats go to the grains. 0 turns leases off here.
    /// </summary>
    [Range(0, 16 * 1024 * 1024)]
    public int MaxHeartbeatLeases { get; set; } = 1_048_576;

    /// <summary>Pushes awaiting acknowledgement at once; beyond this the oldest is abandoned and counted.</summary>
    [Range(16, 1_000_000)]
    public int MaxPendingPushes { get; set; } = 65536;

    /// <summary>
    /// Without a second IP, use another gateway node of the cluster for RFC 5780 change-IP: advertise its
    /// address as OTHER-ADDRESS and have it answer change-IP probes. Every node announces itself either way.
    /// </summary>
    public bool UsePeerGateways { get; set; } = true;

    /// <summary>How often a node announces itself to the gateway directory and refreshes its list of peers.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PeerRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Change-IP probes handed to peer gateways per second at most; beyond, dropped and counted <c>overloaded</c>.</summary>
    [Range(1, 1_000_000)]
    public int MaxPeerChangeRequestsPerSecond { get; set; } = 1000;

    /// <summary>Slots in each rate-limit table (rounded up to a power of two); fixed at start, 8 bytes each.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int RateLimitSlots { get; set; } = 65536;

    /// <summary>Error replies (cookie challenges, refusals, Binding errors) per source IP per second; beyond, dropped unanswered.</summary>
    [Range(1, 1_000_000)]
    public int ErrorRepliesPerSecond { get; set; } = 20;

    /// <summary>Joins naming no open lobby per source IP per minute; beyond, joins from that IP are refused until the minute ends.</summary>
    [Range(1, 1_000_000)]
    public int FailedJoinsPerMinute { get; set; } = 10;

    /// <summary>Authenticated requests per player per second.</summary>
    [Range(1, 1_000_000)]
    public int PlayerRequestsPerSecond { get; set; } = 20;

    /// <summary>Authenticated requests per second through this gateway node, all players together.</summary>
    [Range(1, 100_000_000)]
    public int MaxRequestsPerSecond { get; set; } = 100_000;

    [Range(65536, 256 * 1024 * 1024)]
    public int SocketBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Receive loops per listening address. Above 1, that many sockets share the address through
    /// SO_REUSEPORT and the kernel spreads client flows over them (Linux only). 0 picks one per CPU
    /// on Linux, capped at 8, and 1 elsewhere.
    /// </summary>
    [Range(0, 64)]
    public int ReceiveLoops { get; set; }

    /// <summary><see cref="ReceiveLoops"/> with 0 resolved for this machine.</summary>
    public int EffectiveReceiveLoops => ReceiveLoops switch
    {
        0 when OperatingSystem.IsLinux() => Math.Min(Environment.ProcessorCount, MaxAutomaticReceiveLoops),
        0 => 1,
        var loops => loops,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!System.Net.IPAddress.TryParse(Address, out var address))
        {
            yield return new ValidationResult($"Gateway:Address '{Address}' is not an IP address.", [nameof(Address)]);
            yield break;
        }

        if (AlternateAddress is not null)
        {
            if (!System.Net.IPAddress.TryParse(AlternateAddress, out var alternate))
            {
                yield return new ValidationResult($"Gateway:AlternateAddress '{AlternateAddress}' is not an IP address.", [nameof(AlternateAddress)]);
            }
            else if (address.Equals(System.Net.IPAddress.Any) || address.Equals(System.Net.IPAddress.IPv6Any) || alternate.Equals(address))
            {
                yield return new ValidationResult("Gateway:AlternateAddress needs a specific, different Gateway:Address.", [nameof(AlternateAddress)]);
            }
        }

        if (Address6 is not null
            && (!System.Net.IPAddress.TryParse(Address6, out var address6)
                || address6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6
                || address6.Equals(System.Net.IPAddress.IPv6Any)
                || address6.IsIPv4MappedToIPv6))
        {
            yield return new ValidationResult($"Gateway:Address6 '{Address6}' must be a specific IPv6 address.", [nameof(Address6)]);
        }

        if (Port != 0 && Port == AlternatePort)
        {
            yield return new ValidationResult("Gateway:Port and Gateway:AlternatePort must differ.", [nameof(AlternatePort)]);
        }

        if (ReceiveLoops > 1 && !OperatingSystem.IsLinux())
        {
            yield return new ValidationResult("Gateway:ReceiveLoops above 1 needs SO_REUSEPORT load balancing, which only Linux provides.", [nameof(ReceiveLoops)]);
        }

        if (Secret is not null && !IsStrongKey(Secret))
        {
            yield return new ValidationResult("Gateway:Secret must be base64 of at least 32 bytes.", [nameof(Secret)]);
        }
    }

    private static bool IsStrongKey(string base64)
    {
        Span<byte> bytes = stackalloc byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var written) && written >= 32;
    }
}
