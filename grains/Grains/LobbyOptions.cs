using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Grains;

/// <summary>Configuration section <c>Lobbies</c>.</summary>
public sealed class LobbyOptions
{
    public const string Section = "Lobbies";

    /// <summary>How long an introduction secret may be used to start a punch.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan IntroductionLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Open lobbies hosted on one silo; past it, hosting is refused with <c>rate-limited</c>.</summary>
    [Range(1, 100_000_000)]
    public int MaxActivePerSilo { get; set; } = 100_000;
}
