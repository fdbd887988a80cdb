using System.Net;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Tests.Infrastructure;

/// <summary>Reads the card a player grain currently hands to peers.</summary>
internal static class PlayerCards
{
    /// <summary>Introducing a player answers with its current card; the push itself goes to the player's gateway.</summary>
    public static async Task<PeerCard> CurrentAsync(IPlayerGrain player)
    {
        var peer = new PeerCard(Guid.NewGuid(), new IPEndPoint(IPAddress.Parse("198.51.100.20"), 1), [], NatCapabilities.Unknown);
        var introduction = new Introduction(Guid.NewGuid(), "X7K9M2Q", peer, new byte[ProtocolLimits.SecretLength], ConnectMethod.Direct, DateTimeOffset.UtcNow.AddMinutes(1), false);
        var card = await player.IntroduceAsync(introduction);
        Assert.NotNull(card);
        return card;
    }
}
