namespace Matchmaker.Grains.Models;

/// <summary>A relay allocation for one introduced pair; the introduction id names it when the node is lost.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.RelayRequest")]
public sealed record RelayRequest(
    [property: Id(0)] Guid IntroductionId,
    [property: Id(1)] Guid PlayerA,
    [property: Id(2)] Guid PlayerB);
