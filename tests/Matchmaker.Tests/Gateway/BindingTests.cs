using System.Net;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Gateway;

[Collection(SiloCollection.Name)]
public sealed class BindingTests(SiloFixture silo)
{
    [Fact]
    public async Task Binding_response_reflects_the_source_and_names_its_origin()
    {
        using var socket = new RawStunSocket(silo.Gateway);

        var (datagram, from) = await socket.RequestAsync(RawStunSocket.BindingRequest(fingerprint: true));

        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var response));
        Assert.Equal(new StunMessageType(StunMethods.Binding, StunClass.SuccessResponse), response.Type);
        Assert.True(response.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped));
        Assert.Equal(socket.LocalEndPoint, mapped);
        Assert.True(response.TryGetMappedAddress(StunAttributeType.ResponseOrigin, out var origin));
        Assert.Equal(silo.Gateway, origin);
        Assert.Equal(silo.Gateway, from);
        Assert.True(response.TryGetMappedAddress(StunAttributeType.OtherAddress, out var other));
        Assert.Equal(silo.AlternateBoth, other);
        Assert.True(response.HasAttribute(StunAttributeType.Fingerprint));
        Assert.True(response.FingerprintIsValidOrAbsent());
    }

    [Fact]
    public async Task Change_port_request_is_answered_from_the_alternate_port()
    {
        using var socket = new RawStunSocket(silo.Gateway);
        var request = new byte[64];
        var writer = new StunMessageWriter(request, new StunMessageType(StunMethods.Binding, StunClass.Request), new byte[12]);
        writer.AppendChangeRequest(changeIp: false, changePort: true);

        var (datagram, from) = await socket.RequestAsync(request[..writer.Length]);

        Assert.Equal(silo.AlternatePort, from);
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var response));
        Assert.True(response.TryGetMappedAddress(StunAttributeType.ResponseOrigin, out var origin));
        Assert.Equal(silo.AlternatePort, origin);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task Change_ip_request_is_answered_from_the_alternate_address(bool changeIp, bool changePort)
    {
        using var socket = new RawStunSocket(silo.Gateway);
        var request = new byte[64];
        var writer = new StunMessageWriter(request, new StunMessageType(StunMethods.Binding, StunClass.Request), new byte[12]);
        writer.AppendChangeRequest(changeIp, changePort);

        var (datagram, from) = await socket.RequestAsync(request[..writer.Length]);

        Assert.Equal(changePort ? silo.AlternateBoth : silo.AlternateAddress, from);
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var response));
        Assert.True(response.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped));
        Assert.Equal(socket.LocalEndPoint, mapped);
    }

    [Fact]
    public async Task Response_port_sends_the_answer_to_another_port_at_the_source_ip()
    {
        using var asker = new RawStunSocket(silo.Gateway);
        using var listener = new RawStunSocket(silo.Gateway);
        var request = new byte[64];
        var writer = new StunMessageWriter(request, new StunMessageType(StunMethods.Binding, StunClass.Request), new byte[12]);
        writer.AppendResponsePort((ushort)listener.LocalEndPoint.Port);

        asker.Send(request.AsSpan(0, writer.Length));
        var (datagram, from) = await listener.ReceiveAsync();

        Assert.Equal(silo.Gateway, from);
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var response));
        Assert.True(response.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped));
        Assert.Equal(asker.LocalEndPoint, mapped);
        Assert.Empty(await asker.BarrierAsync());
    }

    [Fact]
    public async Task Unknown_comprehension_required_attribute_earns_420_with_unknown_attributes()
    {
        using var socket = new RawStunSocket(silo.Gateway);
        var request = new byte[64];
        var writer = new StunMessageWriter(request, new StunMessageType(StunMethods.Binding, StunClass.Request), new byte[12]);
        writer.Append(0x7777, [1, 2, 3, 4]);
        writer.Append(0xC777, [1, 2, 3, 4]);

        var (datagram, _) = await socket.RequestAsync(request[..writer.Length]);

        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var response));
        Assert.True(response.TryGetErrorCode(out var code, out var reason));
        Assert.Equal(ProtocolErrors.UnknownAttribute.Code, code);
        Assert.Equal(ProtocolErrors.UnknownAttribute.Slug, reason);
        Assert.True(response.TryGetAttribute(StunAttributeType.UnknownAttributes, out ReadOnlySpan<byte> unknown));
        Span<ushort> types = stackalloc ushort[4];
        var count = UnknownAttributesAttribute.ReadUnknownAttributes(unknown, types);
        Assert.Equal([(ushort)0x7777], types[..count].ToArray());
    }

    [Fact]
    public async Task Binding_request_with_a_wrong_fingerprint_is_dropped()
    {
        using var socket = new RawStunSocket(silo.Gateway);
        var request = RawStunSocket.BindingRequest(fingerprint: true);
        request[^1] ^= 0xFF;

        socket.Send(request);
        var before = await socket.BarrierAsync();

        Assert.Empty(before);
    }

    [Fact]
    public async Task Reflexive_address_follows_the_real_source_address()
    {
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.0.7"));

        var (datagram, _) = await socket.RequestAsync(RawStunSocket.BindingRequest());

        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var response));
        Assert.True(response.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped));
        Assert.Equal(IPAddress.Parse("127.0.0.7"), mapped.Address);
        Assert.Equal(socket.LocalEndPoint.Port, mapped.Port);
    }
}
