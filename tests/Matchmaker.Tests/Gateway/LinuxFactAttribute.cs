namespace Matchmaker.Tests.Gateway;

/// <summary>A fact that needs Linux socket behaviour (SO_REUSEPORT load balancing); skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Needs Linux SO_REUSEPORT.";
        }
    }
}
