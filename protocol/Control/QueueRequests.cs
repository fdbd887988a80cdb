namespace Matchmaker.Protocol.Control;

/// <summary>What a queue request may ask for: a valid mode, a lobby size of 2–16, and optionally a valid region.</summary>
public static class QueueRequests
{
    public static bool IsValid(string? mode, int size, string? region) =>
        size is >= ProtocolLimits.MinPlayers and <= ProtocolLimits.MaxPlayers
        && QueueNames.IsValid(mode)
        && (region is null || QueueNames.IsValid(region));
}
