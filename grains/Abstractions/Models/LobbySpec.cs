namespace Matchmaker.Grains.Models;

/// <summary>What a host asks for.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.LobbySpec")]
public sealed record LobbySpec(
    [property: Id(0)] string Name,
    [property: Id(1)] int MaxPlayers);
