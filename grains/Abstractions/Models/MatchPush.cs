using System.Collections.Immutable;

namespace Matchmaker.Grains.Models;

/// <summary>What one player of a formed match is sent: the lobby and every player (Matched), then its introductions to the others.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.MatchPush")]
public sealed record MatchPush(
    [property: Id(0)] PushTarget Target,
    [property: Id(1)] string LobbyCode,
    [property: Id(2)] ImmutableArray<Guid> Players,
    [property: Id(3)] ImmutableArray<Introduction> Introductions);
