namespace Matchmaker.Grains.Models;

/// <summary>A lobby as the public list shows it.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.LobbySummary")]
public sealed record LobbySummary(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] int Players,
    [property: Id(3)] int MaxPlayers);
