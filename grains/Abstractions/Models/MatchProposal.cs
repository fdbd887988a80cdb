using System.Collections.Immutable;

namespace Matchmaker.Grains.Models;

/// <summary>
/// A match a queue shard formed, sent to the session grain of <see cref="LobbyCode"/> to become a lobby.
/// <see cref="QueueKey"/> names the shard the tickets go back to when the match cannot go ahead.
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.MatchProposal")]
public sealed record MatchProposal(
    [property: Id(0)] string QueueKey,
    [property: Id(1)] string LobbyCode,
    [property: Id(2)] ImmutableArray<QueueTicket> Tickets);
