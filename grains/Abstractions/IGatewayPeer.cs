using Matchmaker.Grains.Models;
using Orleans.Concurrency;

namespace Matchmaker.Grains;

/// <summary>
/// Implemented by each gateway node and registered as a grain observer, found through
/// <see cref="IGatewayDirectoryGrain"/>: how a gateway with one IP gets an RFC 5780 change-IP answer
/// sent from another node's address. One-way: the asking gateway never waits on a peer.
/// </summary>
[Alias("Matchmaker.IGatewayPeer")]
public interface IGatewayPeer : IGrainObserver
{
    [OneWay, Alias("AnswerChangeRequest")]
    Task AnswerChangeRequestAsync(PeerChangeRequest request);
}
