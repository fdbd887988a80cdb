using System.Collections.Immutable;

namespace Matchmaker.Grains.Models;

/// <summary>Answer to host or join: the lobby, and for a joiner the introductions to every member.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.LobbyResult")]
public sealed record LobbyResult(
    [property: Id(0)] LobbyStatus Status,
    [property: Id(1)] LobbySummary? Lobby,
    [property: Id(2)] ImmutableArray<Introduction> Introductions)
{
    public static LobbyResult Failed(LobbyStatus status) => new(status, null, []);

    public static LobbyResult Succeeded(LobbySummary lobby, ImmutableArray<Introduction> introductions) =>
        new(LobbyStatus.Ok, lobby, introductions);
}
