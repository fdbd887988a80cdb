using System.Collections.Immutable;

namespace Matchmaker.Grains.Models;

/// <summary>What one player of a formed match receives: the lobby, every player, and its introductions to the others.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.MatchStart")]
public sealed record MatchStart(
    [property: Id(0)] Guid TicketId,
    [property: Id(1)] string LobbyCode,
    [property: Id(2)] ImmutableArray<Guid> Players,
    [property: Id(3)] ImmutableArray<Introduction> Introductions);
