using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Grains;

/// <summary>Configuration section <c>Players</c>.</summary>
public sealed class PlayerOptions
{
    public const string Section = "Players";

    /// <summary>How often clients heartbeat. 15 s keeps typical 30 s NAT UDP mappings to the gateway open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Heartbeats a player may miss before its registration expires.</summary>
    [Range(1, 20)]
    public int MissedHeartbeats { get; set; } = 3;

    /// <summary>Joins naming no open lobby one player may make per minute (lobby-code guessing); past it, joins are refused.</summary>
    [Range(1, 1_000_000)]
    public int MaxFailedJoinsPerMinute { get; set; } = 10;

    /// <summary>Lobbies one player may open per minute (each draws from the shared code space).</summary>
    [Range(1, 1_000_000)]
    public int MaxLobbiesHostedPerMinute { get; set; } = 10;

    /// <summary>
    /// Heartbeat intervals for which an idle player's renewal is leased to the gateway that forwarded it: the
    /// gateway answers that player's unchanged heartbeats itself meanwhile, with no grain call. 0 turns leases off.
    /// </summary>
    [Range(0, 20)]
    public int LeaseHeartbeats { get; set; } = 3;

    public TimeSpan RegistrationLifetime => HeartbeatInterval * MissedHeartbeats;

    /// <summary>How much longer an idle player's registration lasts once its renewal is leased.</summary>
    public TimeSpan RenewalLease => HeartbeatInterval * LeaseHeartbeats;

    /// <summary>
    /// The lease handed to the gateway: half an interval short of <see cref="RenewalLease"/>, so that with
    /// <see cref="LeaseHeartbeats"/> = n the gateway answers n − 1 of every n heartbeats and the n-th reaches the
    /// grain however its timing wanders by up to half an interval (a boundary exactly on a heartbeat would let
    /// jitter decide).
    /// </summary>
    public TimeSpan GatewayLease => LeaseHeartbeats > 0 ? RenewalLease - (HeartbeatInterval / 2) : TimeSpan.Zero;
}
