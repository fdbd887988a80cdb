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

    [OneWay, Alias("LobbyClosed")]
    Task LobbyClosedAsync(PushTarget target, string lobbyCode, string reason);

    [OneWay, Alias("RelayLost")]
    Task RelayLostAsync(PushTarget target, Guid introductionId);
}
