namespace Matchmaker.Grains.Models;

/// <summary>A reserved allocation: the node that holds it and each player's pass into it.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.RelayReservation")]
public sealed record RelayReservation(
    [property: Id(0)] string NodeId,
    [property: Id(1)] RelayPass ForA,
    [property: Id(2)] RelayPass ForB);
