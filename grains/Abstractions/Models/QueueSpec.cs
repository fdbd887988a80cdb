namespace Matchmaker.Grains.Models;

/// <summary>What a queued player asks for: a game mode, a lobby size (2–16) and optionally a region (null: any).</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.QueueSpec")]
public sealed record QueueSpec(
    [property: Id(0)] string Mode,
    [property: Id(1)] int Size,
    [property: Id(2)] string? Region);
