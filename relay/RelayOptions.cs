using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Relay;

/// <summary>Configuration section <c>Relay</c>: a relay node's socket, caps and address policy.</summary>
public sealed class RelayOptions
{
    public const string Section = "Relay";
    public const int DefaultPort = 3480;

    /// <summary>Whether a silo hosts a relay node in its own process (the embedded default). A relay process ignores it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Listening IP; 0.0.0.0 listens everywhere.</summary>
    public string Address { get; set; } = "0.0.0.0";

    [Range(0, 65535)]
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// The address players are told. Unset: <see cref="Address"/> when it is specific; otherwise "the
    /// gateway's address", right when the relay shares the gateway's host (the embedded default).
    /// </summary>
    public string? PublicAddress { get; set; }

    /// <summary>This node's name in the cluster; unset: a fresh one per process (a restarted node is a new node).</summary>
    public string? NodeId { get; set; }

    /// <summary>Per-node cap: allocations held at once. Also the capacity the node registers.</summary>
    [Range(1, RelayHandles.MaxSlots)]
    public int MaxAllocations { get; set; } = 10_000;

    /// <summary>Per-player cap: allocations one player may hold on this node (a lobby of 16 needs at most 15).</summary>
    [Range(1, 1000)]
    public int MaxAllocationsPerPlayer { get; set; } = 16;

    /// <summary>An allocation with no traffic and no bind this long is closed (clients keep alive every 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest this node keeps any allocation, whatever its token says.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Per-allocation bandwidth cap, both directions together, with one second of burst. Beyond it packets are dropped.</summary>
    [Range(1024, int.MaxValue)]
    public int BandwidthBytesPerSecond { get; set; } = 1 << 20;

    /// <summary>
    /// Forward to the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32,
    /// 3fff::/20). Off in production: they are special-purpose and never a real player's address. The NAT
    /// lab's "internet" is built from them, so the lab turns this on.
    /// </summary>
    public bool AllowDocumentationRanges { get; set; }

    /// <summary>Forward to loopback. Tests and the loopback benchmark only; never in production.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>How often the node reports its load to the cluster; the cluster declares it dead after <c>RelayDirectory:DeadAfter</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Receive loops on the relay port. Above 1, that many sockets share the port through SO_REUSEPORT and
    /// the kernel spreads flows over them (Linux only; elsewhere always 1); 0 picks one per CPU, capped at 8.
    /// The default stays 1: loops forwarding different allocations never share a lock, but on this 2-core
    /// machine two loops measured no clear gain over one (bench/README.md, relay section).
    /// </summary>
    [Range(0, 64)]
    public int ReceiveLoops { get; set; } = 1;

    /// <summary><see cref="ReceiveLoops"/> resolved for this machine.</summary>
    public int EffectiveReceiveLoops => !OperatingSystem.IsLinux() ? 1 : ReceiveLoops == 0 ? Math.Min(Environment.ProcessorCount, 8) : ReceiveLoops;

    /// <summary>UDP send/receive buffer of the relay socket.</summary>
    [Range(0, 1 << 30)]
    public int SocketBufferBytes { get; set; } = 4 << 20;
}
