using System.Net;
using System.Net.Sockets;
using Matchmaker.Gateway;
using Matchmaker.Protocol.Stun;
using Matchmaker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// The Binding hot path must not allocate per packet (issue 2; Kestrel's transport is the model). Measured
/// with the silo's own metrics, so OpenTelemetry's listener is attached as in production.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class BindingAllocationTests(SiloFixture silo)
{
    [Fact]
    public void Answering_a_binding_request_allocates_nothing()
    {
        var responder = silo.Services.GetRequiredService<BindingResponder>();
        using var gateway = new GatewaySocket(new IPEndPoint(IPAddress.Loopback, 0), "primary", 1 << 20);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var source = client.LocalEndPoint!.Serialize();
        var request = RawStunSocket.BindingRequest(fingerprint: true);
        var sendBuffer = new byte[1500];
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(request, out _));
        Respond(responder, gateway, request, source, sendBuffer);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Respond(responder, gateway, request, source, sendBuffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(client.Available > 0, "the responses were really sent");
    }

    /// <summary>No assertion in here: xunit's comparers allocate, and this runs inside the measured loop.</summary>
    private static void Respond(BindingResponder responder, GatewaySocket socket, byte[] request, SocketAddress source, byte[] sendBuffer)
    {
        if (StunMessage.TryParse(request, out var message) == StunParseStatus.Ok)
        {
            responder.Respond(socket, message, source, sendBuffer);
        }
    }
}
