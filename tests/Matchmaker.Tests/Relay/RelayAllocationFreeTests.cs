using System.Net;
using System.Net.Sockets;
using Matchmaker.Protocol.Relay;
using Matchmaker.Relay;
using Matchmaker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Tests.Relay;

/// <summary>
/// Forwarding a data frame must not allocate (Kestrel's transport is the model). Measured with the silo's
/// own relay metrics, so OpenTelemetry's listener is attached as in production.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class RelayAllocationFreeTests(SiloFixture silo)
{
    [Fact]
    public async Task Forwarding_a_data_frame_allocates_nothing()
    {
        var options = new RelayOptions { AllowLoopback = true, MaxAllocations = 16 };
        var metrics = silo.Services.GetRequiredService<RelayMetrics>();
        var table = new RelayAllocationTable(options, metrics, TimeProvider.System);
        var secret = new RelaySecret();
        var forwarder = new RelayForwarder(options, table, metrics, secret);
        using var relay = Udp();
        using var a = Udp();
        using var b = Udp();
        var allocation = Guid.NewGuid();
        var handleA = Bind(forwarder, relay, a, secret, allocation, 0);
        Bind(forwarder, relay, b, secret, allocation, 1);
        var template = new byte[RelayFrame.HeaderLength + 200];
        RelayFrame.WriteHeader(template, handleA);
        var frame = new byte[template.Length];
        var source = a.LocalEndPoint!.Serialize();
        var sendBuffer = new byte[1500];
        Forward(forwarder, relay, template, frame, source, sendBuffer);
        var before = metrics.ForwardedPackets;

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Forward(forwarder, relay, template, frame, source, sendBuffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - allocated);
        Assert.Equal(1000, metrics.ForwardedPackets - before);
        Assert.True(b.Available > 0, "the frames were really sent");
        await Task.CompletedTask;
    }

    /// <summary>No assertion in here: xunit's comparers allocate, and this runs inside the measured loop.</summary>
    private static void Forward(RelayForwarder forwarder, Socket relay, byte[] template, byte[] frame, SocketAddress source, byte[] sendBuffer)
    {
        // The relay rewrites the handle in place, so every round starts from the sender's frame again.
        template.CopyTo(frame, 0);
        forwarder.Handle(relay, frame, source, sendBuffer);
    }

    private static uint Bind(RelayForwarder forwarder, Socket relay, Socket client, RelaySecret secret, Guid allocation, byte side)
    {
        var token = new RelayToken(allocation, side, (uint)DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), RelayToken.TagOf(Guid.NewGuid())).ToArray();
        var request = new byte[256];
        var length = RelayBindMessages.WriteRequest(request, token, RelayToken.DeriveKey(secret.Value, token), new byte[12]);
        forwarder.Handle(relay, request.AsSpan(0, length), client.LocalEndPoint!.Serialize(), new byte[1500]);
        var answer = new byte[1500];
        var received = client.Receive(answer);
        Assert.Equal(Matchmaker.Protocol.Stun.StunParseStatus.Ok, Matchmaker.Protocol.Stun.StunMessage.TryParse(answer.AsSpan(0, received), out var message));
        Assert.True(Matchmaker.Protocol.Stun.Attributes.ScalarAttributes.TryGetUInt32(message, Matchmaker.Protocol.Stun.StunAttributeType.RelayHandle, out var handle));
        return handle;
    }

    private static Socket Udp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
