using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Matchmaker.Gateway;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// Two one-IP gateway nodes on loopback (127.0.0.1 and 127.0.0.3, same ports), each the other's peer:
/// node A names B's address as OTHER-ADDRESS and has B answer change-IP probes from B's own sockets. The
/// observer is B's real <see cref="PeerChangeRequestService"/>, called directly instead of through a
/// cluster; the lab test (NatLab, one-IP nodes) runs the same through Orleans and real NATs.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class PeerGatewayTests : IDisposable
{
    private readonly GatewayListeners _a = new();
    private readonly GatewayListeners _b = new();
    private readonly Socket _client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly GatewayMetrics _metrics;
    private readonly PeerGateways _peersOfA;

    public PeerGatewayTests(SiloFixture silo)
    {
        _metrics = silo.Services.GetRequiredService<GatewayMetrics>();
        _a.Bind(Options("127.0.0.1", 0, 0));
        _b.Bind(Options("127.0.0.3", PrimaryOf(_a).LocalPort, AlternateOf(_a).LocalPort));
        _client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _peersOfA = new PeerGateways(new GatewayOptions(), _metrics, NullLogger<PeerGateways>.Instance);
        _peersOfA.Update([Announce(_b, new PeerChangeRequestService(_b, _metrics))], _a.Sockets);
    }

    /// <summary>The gateway's own limits at their defaults: fixed tables, so nothing here allocates per request.</summary>
    private GatewayRateLimits Limits() => new(new GatewayOptions(), TimeProvider.System, _metrics);

    [Fact]
    public async Task One_ip_node_names_its_peer_on_the_other_port_as_other_address()
    {
        var fromPrimary = await AskAsync(PrimaryOf(_a), changeIp: false, changePort: false);
        var fromAlternatePort = await AskAsync(AlternateOf(_a), changeIp: false, changePort: false);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.3"), AlternateOf(_a).LocalPort), Read(fromPrimary.Datagram, StunAttributeType.OtherAddress));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.3"), PrimaryOf(_a).LocalPort), Read(fromAlternatePort.Datagram, StunAttributeType.OtherAddress));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Change_ip_is_answered_by_the_peer_from_its_own_address_within_the_budget(bool changePort)
    {
        var expectedOrigin = new IPEndPoint(IPAddress.Parse("127.0.0.3"), changePort ? AlternateOf(_a).LocalPort : PrimaryOf(_a).LocalPort);

        var (datagram, from, requestLength) = await AskAsync(PrimaryOf(_a), changeIp: true, changePort);

        Assert.Equal(expectedOrigin, from);
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var answer));
        Assert.Equal(StunClass.SuccessResponse, answer.Type.Class);
        Assert.True(answer.HasAttribute(StunAttributeType.Fingerprint) && answer.FingerprintIsValidOrAbsent());
        Assert.Equal(_client.LocalEndPoint, Read(datagram, StunAttributeType.XorMappedAddress));
        Assert.Equal(expectedOrigin, Read(datagram, StunAttributeType.ResponseOrigin));
        Assert.True(datagram.Length <= requestLength * ProtocolLimits.AmplificationFactor, $"{datagram.Length} bytes answered a {requestLength}-byte request");
    }

    [Fact]
    public async Task A_peer_on_other_ports_is_not_used_and_change_ip_is_refused_as_before()
    {
        using var elsewhere = new GatewayListeners();
        elsewhere.Bind(Options("127.0.0.4", 0, 0));
        var peers = new PeerGateways(new GatewayOptions(), _metrics, NullLogger<PeerGateways>.Instance);
        peers.Update([Announce(elsewhere, new PeerChangeRequestService(elsewhere, _metrics))], _a.Sockets);

        var plain = await AskAsync(PrimaryOf(_a), changeIp: false, changePort: false, peers);
        var refusal = await AskAsync(PrimaryOf(_a), changeIp: true, changePort: false, peers);

        Assert.Equal(0, peers.Count);
        Assert.Null(Read(plain.Datagram, StunAttributeType.OtherAddress));
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(refusal.Datagram, out var answer));
        Assert.True(answer.TryGetErrorCode(out var code, out _));
        Assert.Equal(420, code);
    }

    [Fact]
    public async Task A_peer_answers_only_from_sockets_it_has()
    {
        var answerer = new PeerChangeRequestService(_b, _metrics);
        var notOurs = new PeerChangeRequest(new byte[12], (IPEndPoint)_client.LocalEndPoint!, (IPEndPoint)_client.LocalEndPoint!, new IPEndPoint(IPAddress.Parse("127.0.0.5"), 3478), null, false, 60);

        await answerer.AnswerChangeRequestAsync(notOurs);
        var next = await AskAsync(PrimaryOf(_a), changeIp: false, changePort: false);

        // The datagram that arrives first is the answer to the later plain request: nothing was sent before it.
        Assert.Equal(PrimaryOf(_a).LocalEndPoint, next.From);
    }

    [Fact]
    public void Answering_a_binding_request_with_a_peer_known_allocates_nothing()
    {
        var responder = new BindingResponder(_metrics, Limits(), _peersOfA);
        var request = RawStunSocket.BindingRequest(fingerprint: true);
        var source = _client.LocalEndPoint!.Serialize();
        var sendBuffer = new byte[1500];
        var primary = PrimaryOf(_a);
        Respond(responder, primary, request, source, sendBuffer);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Respond(responder, primary, request, source, sendBuffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _client.Dispose();
    }

    internal static GatewayAnnouncement Announce(GatewayListeners node, PeerChangeRequestService answerer) =>
        new(Guid.NewGuid(), [PrimaryOf(node).LocalEndPoint], AlternateOf(node).LocalPort, answerer, TimeSpan.FromMinutes(1));

    private static GatewaySocket PrimaryOf(GatewayListeners node) => node.Sockets.Single(s => s.Role == "primary");

    private static GatewaySocket AlternateOf(GatewayListeners node) => node.Sockets.Single(s => s.Role == "alternate-port");

    private static GatewayOptions Options(string address, int port, int alternatePort) =>
        new() { Address = address, Port = port, AlternatePort = alternatePort, ReceiveLoops = 1 };

    /// <summary>No assertion in here: xunit's comparers allocate, and this runs inside the measured loop.</summary>
    private static void Respond(BindingResponder responder, GatewaySocket socket, byte[] request, SocketAddress source, byte[] sendBuffer)
    {
        if (StunMessage.TryParse(request, out var message) == StunParseStatus.Ok)
        {
            responder.Respond(socket, message, source, sendBuffer);
        }
    }

    private static IPEndPoint? Read(byte[] datagram, ushort type)
    {
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var message));
        if (type == StunAttributeType.XorMappedAddress)
        {
            return message.TryGetXorAddress(type, out var xor) ? xor : null;
        }

        return message.TryGetMappedAddress(type, out var plain) ? plain : null;
    }

    private async Task<(byte[] Datagram, IPEndPoint From, int RequestLength)> AskAsync(GatewaySocket socket, bool changeIp, bool changePort, PeerGateways? peers = null)
    {
        var request = new byte[64];
        var writer = new StunMessageWriter(request, new StunMessageType(StunMethods.Binding, StunClass.Request), RandomNumberGenerator.GetBytes(12));
        writer.AppendChangeRequest(changeIp, changePort);
        writer.AppendFingerprint();
        var length = writer.Length;
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(request.AsSpan(0, length), out var message));
        new BindingResponder(_metrics, Limits(), peers ?? _peersOfA).Respond(socket, message, _client.LocalEndPoint!.Serialize(), new byte[1500]);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[1500];
        var received = await _client.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
        return (buffer[..received.ReceivedBytes], (IPEndPoint)received.RemoteEndPoint, length);
    }
}
