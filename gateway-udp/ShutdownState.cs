namespace Matchmaker.Gateway;

/// <summary>Whether the host has begun a graceful stop; readiness reads it so it goes false before anything stops.</summary>
public sealed class ShutdownState
{
    private volatile bool _stopping;

    public bool IsStopping => _stopping;

    public void BeginStopping() => _stopping = true;
}
