using System.ComponentModel.DataAnnotations;

namespace Matchmaker.Grains;

/// <summary>Configuration section <c>Lobbies</c>.</summary>
public sealed class LobbyOptions
{
    public const string Section = "Lobbies";

    /// <summary>How long an introduction secret may be used to start a punch.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan IntroductionLifetime { get; set; } = TimeSpan.FromSeconds(60);
}
