using System.Collections.Immutable;
using Matchmaker.Grains.Models;
using Orleans.Concurrency;

namespace Matchmaker.Grains;

/// <summary>
/// Implemented by each gateway node and registered as a grain observer: the way grains reach a player
/// who did not ask (an introduction to a host). One-way, so a dead gateway never stalls a grain.
/// </summary>
[Alias("Matchmaker.IGatewayPush")]
public interface IGatewayPush : IGrainObserver
{
    [OneWay, Alias("Introduce")]
    Task IntroduceAsync(PushTarget target, Introduction introduction);

    [OneWay, Alias("Matched")]
    Task MatchedAsync(PushTarget target, string lobbyCode, ImmutableArray<Guid> players);

    /// <summary>
    /// Matched and the introductions of every player of one match that this gateway reaches, in one message:
    /// for each player Matched first, then its introductions.
    /// </summary>
    [OneWay, Alias("StartMatches")]
    Task StartMatchesAsync(ImmutableArray<MatchPush> matches);

    [OneWay, Alias("LobbyClosed")]
    Task LobbyClosedAsync(PushTarget target, string lobbyCode, string reason);

    [OneWay, Alias("RelayLost")]
    Task RelayLostAsync(PushTarget target, Guid introductionId);
}
