using System.Net;
using System.Security.Cryptography;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;
using Matchmaker.Tests.Protocol;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// What the gateway stores of a player's IPv6 and listen endpoints. Peers are told to send to a listen
/// endpoint, so only one on the address the registration came from is kept: nobody may aim peers at a third party.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ReachabilityPresenceTests(SiloFixture silo)
{
    private static readonly IPEndPoint Ipv6 = new(IPAddress.Parse("2001:db8:7::2"), 40000);

    [Fact]
    public async Task A_listen_endpoint_on_the_registering_address_and_an_IPv6_endpoint_are_stored()
    {
        var card = await RegisterAsync(local => new IPEndPoint(local.Address, 41000));

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 41000), card.ListenEndpoint);
        Assert.Equal(Ipv6, card.Ipv6Endpoint);
    }

    [Fact]
    public async Task A_listen_endpoint_on_another_address_is_dropped_and_the_rest_of_the_presence_kept()
    {
        var card = await RegisterAsync(_ => new IPEndPoint(IPAddress.Parse("192.0.2.1"), 41000));

        Assert.Null(card.ListenEndpoint);
        Assert.Equal(Ipv6, card.Ipv6Endpoint);
    }

    /// <summary>Registers from a raw socket (cookie, then the echo) and returns the card the player grain now holds.</summary>
    private async Task<PeerCard> RegisterAsync(Func<IPEndPoint, IPEndPoint> listen)
    {
        using var raw = new RawStunSocket(silo.Gateway, IPAddress.Loopback);
        var challenge = StunTestMessages.Parse((await raw.RequestAsync(Register(null, listen(raw.LocalEndPoint)))).Datagram);
        Assert.True(challenge.TryGetAttribute(StunAttributeType.Nonce, out ReadOnlySpan<byte> nonce));
        var registered = StunTestMessages.Parse((await raw.RequestAsync(Register(nonce.ToArray(), listen(raw.LocalEndPoint)))).Datagram);
        Assert.True(registered.TryGetGuid(StunAttributeType.PlayerId, out var playerId));

        return await PlayerCards.CurrentAsync(silo.Grains.GetGrain<IPlayerGrain>(playerId));
    }

    private static byte[] Register(byte[]? cookie, IPEndPoint listen)
    {
        var buffer = new byte[ProtocolLimits.MaxDatagram];
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.Register, StunClass.Request), RandomNumberGenerator.GetBytes(StunHeader.TransactionIdLength));
        if (cookie is not null)
        {
            writer.Append(StunAttributeType.Nonce, cookie);
        }

        writer.AppendUInt32(StunAttributeType.NatCapabilities, new NatCapabilities(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent, Ipv6: true, Upnp: false, OpenPort: true).Encode());
        writer.AppendXorAddress(StunAttributeType.Ipv6Endpoint, Ipv6);
        writer.AppendXorAddress(StunAttributeType.ListenEndpoint, listen);
        writer.AppendFingerprint();
        return buffer[..writer.Length];
    }
}
