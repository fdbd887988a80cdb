namespace Matchmaker.Gateway;

/// <summary>The <c>result</c> tag of <c>matchmaker_gateway_heartbeat_leases_total</c>.</summary>
public enum LeaseEvent
{
    /// <summary>A player grain's lease was recorded (or renewed).</summary>
    Granted,

    /// <summary>A lease was not recorded because the table was full; that player's heartbeats go to its grain.</summary>
    Full,

    /// <summary>A lease was dropped before its end: another request, a push, or a failed grain call for the player.</summary>
    Dropped,
}
