namespace Matchmaker.Gateway;

/// <summary>Orleans instruments whose every observation walks a collection as large as the player population.</summary>
internal static class OrleansScanGauges
{
    /// <summary>Requests queued or running, summed over every activation under its lock.</summary>
    public const string ActivationRequests = "orleans-messaging-processing-activation-data";

    /// <summary>Entries in the grain-location cache, counted by enumerating it.</summary>
    public const string DirectoryCacheSize = "orleans-directory-cache-size";
}
