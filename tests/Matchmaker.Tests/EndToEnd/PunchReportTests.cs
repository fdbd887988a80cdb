using System.Net;
using Matchmaker.Client;
using Matchmaker.Gateway;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Tests.EndToEnd;

/// <summary>
/// Clients report every punch outcome; the gateway checks the report and the cluster counts it. Read
/// back from the silo's real /metrics, as Prometheus would.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class PunchReportTests(SiloFixture silo)
{
    // Declared rather than measured NAT classes no other test uses, so the counters these tests read
    // (tagged by NAT pair) move only with their own players' reports, whatever else ran on the silo.
    private static readonly NatCapabilities PortRestricted = new(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent, false, false, false);
    private static readonly NatCapabilities AddressRestricted = new(NatMapping.EndpointIndependent, NatFiltering.AddressDependent, false, false, false);

    [Fact]
    public async Task Both_sides_of_a_connected_punch_are_counted_with_its_time_to_connect()
    {
        const string Pair = "port-restricted/port-restricted";
        var attempts = await ReadAsync("matchmaker_punch_attempts_total", "lan", Pair);
        var successes = await ReadAsync("matchmaker_punch_success_total", "lan", Pair);
        var timed = await PrometheusScrape.ReadAsync(silo.Http, "matchmaker_time_to_connect_seconds_count", ("method", "lan"));
        await using var host = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway, ClassifyNat = false, Capabilities = PortRestricted });
        await using var joiner = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway, ClassifyNat = false, Capabilities = PortRestricted });

        var lobby = await host.HostAsync("reported", maxPlayers: 2);
        await joiner.JoinAsync(lobby.Code);
        var connected = (await joiner.NextAsync<PeerConnected>()).Peer;
        await host.NextAsync<PeerConnected>();
        await Eventually.ReachesAsync(() => Task.FromResult(host.PunchReportsSent + joiner.PunchReportsSent), sent => sent == 2);

        Assert.Equal(1, host.PunchReportsSent);
        Assert.Equal(1, joiner.PunchReportsSent);
        Assert.Equal(attempts + 2, await ReadAsync("matchmaker_punch_attempts_total", "lan", Pair));
        Assert.Equal(successes + 2, await ReadAsync("matchmaker_punch_success_total", "lan", Pair));
        // The histogram is tagged by method only, so other tests' lan connections may add to it too.
        Assert.True(await PrometheusScrape.ReadAsync(silo.Http, "matchmaker_time_to_connect_seconds_count", ("method", "lan")) >= timed + 2);
        Assert.True(connected.TimeToConnect > TimeSpan.Zero && connected.TimeToConnect < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_punch_whose_deadline_passes_is_an_event_and_a_reported_failure()
    {
        const string Pair = "address-restricted/port-restricted";
        var attempts = await ReadAsync("matchmaker_punch_attempts_total", "lan", Pair);
        var successes = await ReadAsync("matchmaker_punch_success_total", "lan", Pair);
        // A host that registers and opens a lobby, then never answers a punch: the joiner's deadline passes.
        await using var silentHost = new ClientTransport(new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System);
        silentHost.Start((_, _) => { });
        var session = new ServerSession(silentHost, new() { Server = silo.Gateway, Capabilities = AddressRestricted }, []);
        await session.RegisterAsync(CancellationToken.None);
        var code = await session.RequestAsync(
            StunMethods.Host,
            (ref StunMessageWriter writer) =>
            {
                writer.AppendString(StunAttributeType.LobbyName, "silent", ProtocolLimits.MaxLobbyNameBytes);
                writer.AppendUInt32(StunAttributeType.MaxPlayers, 2);
            },
            response => response.TryGetAttribute(StunAttributeType.LobbyEntry, out ReadOnlySpan<byte> value) && LobbyEntryAttribute.TryRead(value, out var lobby) ? lobby.Code : throw new InvalidOperationException("no lobby"),
            CancellationToken.None);
        await using var joiner = await MatchmakerClient.ConnectAsync(new() { Server = silo.Gateway, ClassifyNat = false, Capabilities = PortRestricted, PunchTimeout = TimeSpan.FromSeconds(1) });

        await joiner.JoinAsync(code);
        var failed = await NextFailureAsync(joiner);
        await Eventually.ReachesAsync(() => Task.FromResult(joiner.PunchReportsSent), sent => sent == 1);

        Assert.Equal("punch-timeout", failed.Reason);
        Assert.Equal(ConnectMethod.Lan, failed.Method);
        Assert.True(failed.Elapsed >= TimeSpan.FromSeconds(1));
        Assert.Equal(1, joiner.PunchReportsSent);
        Assert.Equal(attempts + 1, await ReadAsync("matchmaker_punch_attempts_total", "lan", Pair));
        Assert.Equal(successes, await ReadAsync("matchmaker_punch_success_total", "lan", Pair));
    }

    [Fact]
    public async Task A_report_outside_the_bounds_is_refused_and_counted_never_recorded()
    {
        var metrics = silo.Services.GetRequiredService<GatewayMetrics>();
        var refusedBefore = metrics.Read(PacketType.PunchReport, PacketResult.Error);
        var attempts = await PrometheusScrape.ReadAsync(silo.Http, "matchmaker_punch_attempts_total", ("method", "direct"));
        await using var transport = new ClientTransport(new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System);
        transport.Start((_, _) => { });
        var session = new ServerSession(transport, new() { Server = silo.Gateway }, []);
        await session.RegisterAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<MatchmakerException>(() => session.RequestAsync(
            StunMethods.PunchReport,
            (ref StunMessageWriter writer) =>
            {
                writer.AppendGuid(StunAttributeType.IntroductionId, Guid.NewGuid());
                writer.AppendByte(StunAttributeType.ConnectMethod, (byte)ConnectMethod.Direct);
                writer.AppendUInt32(StunAttributeType.OwnNat, 0x00_00_01_01);
                // A NAT word with bits no version defines would become an unbounded tag.
                writer.AppendUInt32(StunAttributeType.PeerNat, 0x7F_00_01_01);
                writer.AppendByte(StunAttributeType.PunchOutcome, (byte)PunchOutcome.Connected);
                writer.AppendUInt32(StunAttributeType.TimeToConnect, 50);
            },
            _ => true,
            CancellationToken.None));

        Assert.Equal("bad-request", refused.Code);
        Assert.Equal(refusedBefore + 1, metrics.Read(PacketType.PunchReport, PacketResult.Error));
        Assert.Equal(attempts, await PrometheusScrape.ReadAsync(silo.Http, "matchmaker_punch_attempts_total", ("method", "direct")));
    }

    [Fact]
    public async Task A_retransmitted_report_is_answered_again_but_counted_once()
    {
        const string Pair = "cone/symmetric";
        var attempts = await ReadAsync("matchmaker_punch_attempts_total", "direct", Pair);
        await using var transport = new ClientTransport(new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System);
        transport.Start((_, _) => { });
        var session = new ServerSession(transport, new() { Server = silo.Gateway }, []);
        await session.RegisterAsync(CancellationToken.None);
        var cone = new NatCapabilities(NatMapping.EndpointIndependent, NatFiltering.Unknown, false, false, false);
        var symmetric = new NatCapabilities(NatMapping.AddressAndPortDependent, NatFiltering.AddressAndPortDependent, false, false, false);
        var report = new PunchReportMessage(Guid.NewGuid(), ConnectMethod.Direct, cone, symmetric, PunchOutcome.Connected, TimeSpan.FromMilliseconds(80));
        var buffer = new byte[ProtocolLimits.MaxDatagram];
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.PunchReport, StunClass.Request), System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        writer.AppendGuid(StunAttributeType.PlayerId, session.PlayerId);
        report.Write(ref writer);
        writer.AppendMessageIntegritySha256(session.Key);
        writer.AppendFingerprint();
        var request = buffer[..writer.Length];

        // The same datagram twice, as RFC 8489 retransmission sends it when the first answer is late.
        var first = await transport.RequestAsync(request, silo.Gateway, TimeSpan.FromSeconds(5), CancellationToken.None);
        var second = await transport.RequestAsync(request, silo.Gateway, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.True(IsSuccess(first) && IsSuccess(second));
        Assert.Equal(attempts + 1, await ReadAsync("matchmaker_punch_attempts_total", "direct", Pair));
    }

    private static bool IsSuccess(byte[] datagram) =>
        StunMessage.TryParse(datagram, out var message) == StunParseStatus.Ok && message.Type.Class == StunClass.SuccessResponse;

    private Task<double> ReadAsync(string metric, string method, string natPair) =>
        PrometheusScrape.ReadAsync(silo.Http, metric, ("method", method), ("nat_pair", natPair));

    private static async Task<PeerConnectFailed> NextFailureAsync(MatchmakerClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            if (await client.Events.ReadAsync(timeout.Token) is PeerConnectFailed failed)
            {
                return failed;
            }
        }
    }
}
