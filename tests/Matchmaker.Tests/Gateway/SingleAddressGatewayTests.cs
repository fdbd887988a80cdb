using System.Net;
using System.Net.Sockets;
using Matchmaker.Gateway;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// A gateway with one IP (a Kubernetes pod, say): change-port works, change-IP is refused with 420, and
/// OTHER-ADDRESS is not advertised — it would promise change-IP, and clients promised it can stall
/// (coturn's turnutils_stunclient waits forever for the answer).
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class SingleAddressGatewayTests(SiloFixture silo) : IDisposable
{
    private readonly GatewaySocketSet _sockets = GatewaySocketSet.Bind(new GatewayOptions { Address = "127.0.0.1", Port = 0, AlternatePort = 0 });
    private readonly Socket _client = Bound();

    [Fact]
    public async Task One_ip_gateway_omits_other_address_and_refuses_change_ip_with_420()
    {
        var primary = _sockets.Sockets.Single(s => s.Role == "primary");

        var plain = await AskAsync(primary, changeIp: false);
        var changeIp = await AskAsync(primary, changeIp: true);

        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(plain, out var answer));
        Assert.False(answer.HasAttribute(StunAttributeType.OtherAddress));
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(changeIp, out var refusal));
        Assert.True(refusal.TryGetErrorCode(out var code, out _));
        Assert.Equal(420, code);
    }

    public void Dispose()
    {
        _sockets.Dispose();
        _client.Dispose();
    }

    private async Task<byte[]> AskAsync(GatewaySocket socket, bool changeIp)
    {
        var request = new byte[64];
        var writer = new StunMessageWriter(request, new StunMessageType(StunMethods.Binding, StunClass.Request), new byte[12]);
        writer.AppendChangeRequest(changeIp, changePort: false);
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(request.AsSpan(0, writer.Length), out var message));
        var responder = silo.Services.GetRequiredService<BindingResponder>();
        responder.Respond(socket, message, _client.LocalEndPoint!.Serialize(), new byte[1500]);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[1500];
        var received = await _client.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return buffer[..received];
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
