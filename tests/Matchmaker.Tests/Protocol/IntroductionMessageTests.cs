using System.Collections.Immutable;
using System.Net;
using CsCheck;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>The Introduction push: every field round trips and the secret is sealed to the addressed player's key.</summary>
public sealed class IntroductionMessageTests
{
    private static readonly StunMessageType Push = new(StunMethods.Introduction, StunClass.Request);

    private static readonly Gen<IPEndPoint?> OptionalEndpoint =
        Gen.Bool.SelectMany(present => present ? StunGen.Endpoint.Select(e => (IPEndPoint?)e) : Gen.Const((IPEndPoint?)null));

    private static readonly Gen<RelayTicket> RelayTickets =
        Gen.Select(StunGen.Endpoint, Gen.Byte.Array[RelayToken.Length], Gen.Byte.Array[RelayToken.KeyLength], (endpoint, token, key) => new RelayTicket(endpoint, token, key));

    private static readonly Gen<IntroductionMessage> AnyIntroduction = Gen.Select(
        Gen.Select(
            Gen.Guid,
            Gen.Char[LobbyCode.Alphabet].Array[LobbyCode.Length].Select(c => new string(c)),
            Gen.Guid,
            StunGen.Endpoint,
            StunGen.Endpoint.Array[0, ProtocolLimits.MaxLanEndpoints],
            Gen.Select(Gen.Enum<NatMapping>(), Gen.Enum<NatFiltering>(), Gen.Bool, Gen.Bool, Gen.Bool, (m, f, v6, upnp, open) => new NatCapabilities(m, f, v6, upnp, open)),
            Gen.Byte.Array[ProtocolLimits.SecretLength],
            Gen.Select(Gen.Enum<ConnectMethod>(), Gen.UInt, Gen.Bool, OptionalEndpoint, OptionalEndpoint))
        .Select((id, code, peer, endpoint, lan, capabilities, secret, rest) => new IntroductionMessage(
            id, code, peer, endpoint, [.. lan], capabilities, secret, rest.Item1, TimeSpan.FromMilliseconds(rest.Item2), rest.Item3, rest.Item4, rest.Item5)),
        RelayTickets,
        (introduction, relay) => introduction.Method == ConnectMethod.Relay ? introduction with { Relay = relay } : introduction);

    private static readonly Gen<byte[]> PlayerKey = Gen.Byte.Array[32];

    [Fact]
    public void Any_introduction_round_trips_with_the_players_key()
    {
        Gen.Select(AnyIntroduction, PlayerKey, StunGen.TransactionId).Sample((introduction, key, transactionId) =>
        {
            var message = StunTestMessages.Parse(Write(introduction, key, transactionId));

            Assert.True(IntroductionMessage.TryRead(message, key, out var read));
            AssertSame(introduction, read);
        }, iter: 1000);
    }

    [Fact]
    public void Reading_with_another_players_key_yields_another_secret_and_the_same_public_fields()
    {
        Gen.Select(AnyIntroduction, PlayerKey, Gen.Int[0, 31], StunGen.TransactionId).Sample((introduction, key, differingByte, transactionId) =>
        {
            var otherKey = (byte[])key.Clone();
            otherKey[differingByte] ^= 0xFF;
            var message = StunTestMessages.Parse(Write(introduction, key, transactionId));

            Assert.True(IntroductionMessage.TryRead(message, otherKey, out var read));
            Assert.NotEqual(introduction.Secret, read.Secret);
            Assert.True(introduction.Relay is null || !introduction.Relay.Key.AsSpan().SequenceEqual(read.Relay!.Key), "the relay key is sealed like the secret");
            AssertSame(introduction with { Secret = read.Secret, Relay = introduction.Relay is { } relay ? relay with { Key = read.Relay!.Key } : null }, read);
        }, iter: 500);
    }

    [Fact]
    public void Secret_does_not_travel_in_the_clear()
    {
        var introduction = Sample();
        var bytes = Write(introduction, new byte[32], StunTestMessages.TransactionId);

        var sealedSecret = StunTestMessages.AttributesOf(bytes).Single(a => a.Type == StunAttributeType.IntroductionSecret).Value;
        Assert.Equal(ProtocolLimits.SecretLength, sealedSecret.Length);
        Assert.NotEqual(introduction.Secret, sealedSecret);
    }

    [Fact]
    public void The_same_secret_is_sealed_differently_under_another_transaction_id()
    {
        var introduction = Sample();
        var key = new byte[32];
        var transactionId = StunTestMessages.TransactionId;
        var first = Write(introduction, key, transactionId);
        transactionId[^1] ^= 1;
        var second = Write(introduction, key, transactionId);

        static byte[] SealedSecret(byte[] bytes) => StunTestMessages.AttributesOf(bytes).Single(a => a.Type == StunAttributeType.IntroductionSecret).Value;
        Assert.NotEqual(SealedSecret(first), SealedSecret(second));
    }

    [Fact]
    public void Only_the_first_four_LAN_endpoints_are_sent()
    {
        var lan = Enumerable.Range(1, 6).Select(i => new IPEndPoint(IPAddress.Parse($"10.0.0.{i}"), 5000 + i)).ToImmutableArray();
        var introduction = Sample() with { PeerLanEndpoints = lan };
        var key = new byte[32];

        var message = StunTestMessages.Parse(Write(introduction, key, StunTestMessages.TransactionId));

        Assert.True(IntroductionMessage.TryRead(message, key, out var read));
        Assert.Equal(lan.Take(ProtocolLimits.MaxLanEndpoints), read.PeerLanEndpoints);
    }

    [Fact]
    public void Reader_keeps_at_most_four_LAN_endpoints_whatever_the_sender_wrote()
    {
        var key = new byte[32];
        var bytes = StunTestMessages.Build(Push, StunTestMessages.TransactionId, (ref StunMessageWriter writer) =>
        {
            Sample().Write(ref writer, key); // two LAN endpoints
            for (var i = 1; i <= 4; i++)
            {
                writer.AppendXorAddress(StunAttributeType.LanEndpoint, new IPEndPoint(IPAddress.Parse($"10.9.9.{i}"), 9000));
            }
        });

        Assert.Equal(6, StunTestMessages.AttributesOf(bytes).Count(a => a.Type == StunAttributeType.LanEndpoint));
        Assert.True(IntroductionMessage.TryRead(StunTestMessages.Parse(bytes), key, out var read));
        Assert.Equal(Sample().PeerLanEndpoints.Concat([new IPEndPoint(IPAddress.Parse("10.9.9.1"), 9000), new IPEndPoint(IPAddress.Parse("10.9.9.2"), 9000)]), read.PeerLanEndpoints);
    }

    [Theory]
    [InlineData(StunAttributeType.IntroductionId)]
    [InlineData(StunAttributeType.LobbyCode)]
    [InlineData(StunAttributeType.PlayerId)]
    [InlineData(StunAttributeType.PeerEndpoint)]
    [InlineData(StunAttributeType.NatCapabilities)]
    [InlineData(StunAttributeType.IntroductionSecret)]
    [InlineData(StunAttributeType.ConnectMethod)]
    [InlineData(StunAttributeType.Lifetime)]
    [InlineData(StunAttributeType.PeerRole)]
    public void Introduction_missing_a_required_attribute_is_refused(ushort type)
    {
        var key = new byte[32];
        var bytes = StunTestMessages.Rewrite(Write(Sample(), key, StunTestMessages.TransactionId), t => t != type);

        Assert.False(IntroductionMessage.TryRead(StunTestMessages.Parse(bytes), key, out _));
    }

    [Theory]
    [InlineData(StunAttributeType.NatCapabilities, new byte[] { 0, 0, 0, 9 })]
    [InlineData(StunAttributeType.ConnectMethod, new byte[] { 0 })]
    [InlineData(StunAttributeType.ConnectMethod, new byte[] { 8 })]
    [InlineData(StunAttributeType.IntroductionSecret, new byte[] { 1, 2, 3, 4 })]
    [InlineData(StunAttributeType.PeerEndpoint, new byte[] { 0, 3, 0, 0, 1, 2, 3, 4 })]
    [InlineData(StunAttributeType.LobbyCode, new byte[] { 0xFF })]
    public void Introduction_with_an_undefined_or_malformed_value_is_refused(ushort type, byte[] value)
    {
        var key = new byte[32];
        var bytes = StunTestMessages.Replace(Write(Sample(), key, StunTestMessages.TransactionId), type, value);

        Assert.False(IntroductionMessage.TryRead(StunTestMessages.Parse(bytes), key, out _));
    }

    [Fact]
    public void Reading_never_throws_when_any_attribute_carries_arbitrary_bytes()
    {
        var types = StunTestMessages.AttributesOf(Write(Sample(), new byte[32], StunTestMessages.TransactionId)).Select(a => a.Type).Distinct().ToArray();
        Gen.Select(Gen.OneOf(types), Gen.Byte.Array[0, 40]).Sample((type, value) =>
        {
            var key = new byte[32];
            var bytes = StunTestMessages.Replace(Write(Sample(), key, StunTestMessages.TransactionId), type, value);

            _ = IntroductionMessage.TryRead(StunTestMessages.Parse(bytes), key, out _);
        }, iter: 2000);
    }

    [Fact]
    public void Candidates_put_IPv6_and_listen_endpoints_first_and_never_repeat_one()
    {
        var listen = new IPEndPoint(IPAddress.Parse("203.0.113.9"), 40000);
        var ipv6 = new IPEndPoint(IPAddress.Parse("2001:db8:7::2"), 40000);
        var introduction = Sample() with { PeerIpv6Endpoint = ipv6, PeerListenEndpoint = listen };

        Assert.Equal([ipv6, listen, .. Sample().PeerLanEndpoints], introduction.Candidates);
    }

    private static IntroductionMessage Sample() => new(
        Guid.Parse("6f1b4c8e-2d3a-4e5f-9a0b-1c2d3e4f5a6b"),
        "X7K9M2Q",
        Guid.Parse("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"),
        new IPEndPoint(IPAddress.Parse("203.0.113.9"), 40000),
        [new IPEndPoint(IPAddress.Parse("192.168.1.20"), 40000), new IPEndPoint(IPAddress.Parse("fd00::20"), 40000)],
        new NatCapabilities(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent, Ipv6: true, Upnp: false, OpenPort: false),
        Enumerable.Range(0, ProtocolLimits.SecretLength).Select(i => (byte)(i * 7)).ToArray(),
        ConnectMethod.Direct,
        TimeSpan.FromSeconds(30),
        PeerIsHost: true);

    private static byte[] Write(IntroductionMessage introduction, byte[] key, byte[] transactionId) =>
        StunTestMessages.Build(Push, transactionId, (ref StunMessageWriter writer) => introduction.Write(ref writer, key));

    private static void AssertSame(IntroductionMessage expected, IntroductionMessage actual)
    {
        Assert.Equal(expected.IntroductionId, actual.IntroductionId);
        Assert.Equal(expected.LobbyCode, actual.LobbyCode);
        Assert.Equal(expected.PeerId, actual.PeerId);
        Assert.Equal(expected.PeerEndpoint, actual.PeerEndpoint);
        Assert.Equal(expected.PeerLanEndpoints.AsEnumerable(), actual.PeerLanEndpoints.AsEnumerable());
        Assert.Equal(expected.PeerCapabilities, actual.PeerCapabilities);
        Assert.Equal(expected.Secret, actual.Secret);
        Assert.Equal(expected.Method, actual.Method);
        Assert.Equal(expected.Lifetime, actual.Lifetime);
        Assert.Equal(expected.PeerIsHost, actual.PeerIsHost);
        Assert.Equal(expected.PeerIpv6Endpoint, actual.PeerIpv6Endpoint);
        Assert.Equal(expected.PeerListenEndpoint, actual.PeerListenEndpoint);
        Assert.Equal(expected.Relay?.Endpoint, actual.Relay?.Endpoint);
        Assert.Equal(expected.Relay?.Token, actual.Relay?.Token);
        Assert.Equal(expected.Relay?.Key, actual.Relay?.Key);
    }

    [Fact]
    public void A_relayed_introduction_seals_the_relay_key_to_the_player_and_needs_all_relay_fields()
    {
        var relay = new RelayTicket(IPEndPoint.Parse("198.51.100.10:3480"), new byte[RelayToken.Length], Enumerable.Range(1, RelayToken.KeyLength).Select(i => (byte)i).ToArray());
        var introduction = Sample() with { Method = ConnectMethod.Relay, Relay = relay };
        var key = new byte[32];
        var bytes = Write(introduction, key, StunTestMessages.TransactionId);

        Assert.True(IntroductionMessage.TryRead(StunTestMessages.Parse(bytes), key, out var read));
        Assert.Equal(relay.Key, read.Relay!.Key);
        Assert.False(bytes.AsSpan().IndexOf(relay.Key) >= 0, "the relay key never travels in the clear");
        Assert.True(IntroductionMessage.TryRead(StunTestMessages.Parse(bytes), [.. key.Select(b => (byte)(b ^ 1))], out var wrongKey));
        Assert.NotEqual(relay.Key, wrongKey.Relay!.Key);

        var withoutRelay = Write(introduction with { Relay = null }, key, StunTestMessages.TransactionId);
        Assert.False(IntroductionMessage.TryRead(StunTestMessages.Parse(withoutRelay), key, out _));
    }
}
