using System.Net;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Gateway;

/// <summary>
/// Answers STUN Binding requests (RFC 8489 §6.3.1 with RFC 5780 §6) on the receive thread, with no
/// grain call and no allocation. Optional attributes are added only while the reply stays within the
/// anti-amplification budget; XOR-MAPPED-ADDRESS always fits a valid request. Without a second IP of
/// its own, the node names a peer gateway's address as OTHER-ADDRESS and has that peer answer change-IP
/// (<see cref="PeerGateways"/>); with neither, it behaves as a one-IP server must (RFC 5780 §6.1).
/// </summary>
internal sealed class BindingResponder(GatewayMetrics metrics, GatewayRateLimits limits, PeerGateways? peers = null)
{
    private const int MaxUnknown = 8;

    /// <summary>Scratch for RESPONSE-PORT destinations; per thread because receive loops answer concurrently.</summary>
    [ThreadStatic]
    private static SocketAddress? _redirected;

    public void Respond(GatewaySocket socket, StunMessage request, SocketAddress source, Span<byte> sendBuffer)
    {
        var budget = ReplyBudget.ForUnproven(request.Buffer.Length, sendBuffer.Length);
        var withFingerprint = request.HasAttribute(StunAttributeType.Fingerprint);

        Span<ushort> unknown = stackalloc ushort[MaxUnknown];
        var unknownCount = CollectUnknown(request, unknown);
        if (unknownCount > 0)
        {
            SendError(socket, request, source, sendBuffer[..budget], ProtocolErrors.UnknownAttribute, unknown[..unknownCount], withFingerprint);
            return;
        }

        if (!request.TryGetChangeRequest(out var changeIp, out var changePort) || !request.TryGetResponsePort(out var responsePort))
        {
            SendError(socket, request, source, sendBuffer[..budget], ProtocolErrors.BadRequest, [], withFingerprint);
            return;
        }

        var from = socket.Sibling(changeIp, changePort);
        if (from is null)
        {
            // RFC 5780 §6.1: a server without the alternate address cannot honour the change itself; a
            // one-IP node asks a peer gateway to answer from its address, and only without one refuses.
            if (!changeIp || peers?.TryForward(socket, request, source, responsePort == 0 ? source : Redirect(source, responsePort), changePort, budget, withFingerprint) != true)
            {
                SendError(socket, request, source, sendBuffer[..budget], ProtocolErrors.UnknownAttribute, [StunAttributeType.ChangeRequest], withFingerprint);
            }

            return;
        }

        ReadOnlySpan<byte> otherAddress = default;
        ushort otherPort = 0;
        if (socket.Other is { } other)
        {
            otherAddress = other.LocalAddressBytes;
            otherPort = other.LocalPort;
        }
        else if (peers?.Pick(socket, source) is { } peer && socket.ChangePort is { } alternatePort)
        {
            // The peer listens on the same two ports, so its address with our other port is the
            // alternate address and port that RFC 5780 §7.4 asks for.
            otherAddress = peer.AddressBytes;
            otherPort = alternatePort.LocalPort;
        }

        var mapped = SocketAddressParts.GetAddressBytes(source);
        var length = BindingSuccess.Write(
            sendBuffer[..budget], request.TransactionId, mapped, SocketAddressParts.GetPort(source), from.LocalAddressBytes, from.LocalPort, otherAddress, otherPort, withFingerprint);
        if (length == 0)
        {
            metrics.Count(PacketType.Binding, PacketResult.AmplificationDropped);
            return;
        }

        from.Send(sendBuffer[..length], responsePort == 0 ? source : Redirect(source, responsePort));
        metrics.Count(PacketType.Binding, PacketResult.Ok);
    }

    private void SendError(GatewaySocket socket, StunMessage request, SocketAddress source, Span<byte> buffer, ProtocolError error, ReadOnlySpan<ushort> unknown, bool withFingerprint)
    {
        var needed = StunHeader.Length
            + StunAttributeLayout.PaddedLength(ErrorCodeAttribute.ValueLength(error.Slug))
            + (unknown.IsEmpty ? 0 : StunAttributeLayout.PaddedLength(unknown.Length * 2))
            + (withFingerprint ? StunAttributeLayout.PaddedLength(FingerprintAttribute.ValueLength) : 0);
        if (needed > buffer.Length)
        {
            metrics.Count(PacketType.Binding, PacketResult.AmplificationDropped);
            return;
        }

        if (!limits.AllowErrorReply(source))
        {
            metrics.Count(PacketType.Binding, PacketResult.RateLimited);
            return;
        }

        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.Binding, StunClass.ErrorResponse), request.TransactionId);
        writer.AppendErrorCode(error.Code, error.Slug);
        if (!unknown.IsEmpty)
        {
            writer.AppendUnknownAttributes(unknown);
        }

        if (withFingerprint)
        {
            writer.AppendFingerprint();
        }

        socket.Send(writer.Written, source);
        metrics.Count(PacketType.Binding, PacketResult.Error);
    }

    /// <summary>
    /// RFC 5780 §7.5: same IP, another port. No new reflection risk: a spoofed source already names any
    /// port, and the reply stays within the same budget.
    /// </summary>
    private static SocketAddress Redirect(SocketAddress source, ushort port)
    {
        var redirected = _redirected;
        if (redirected is null || redirected.Family != source.Family || redirected.Buffer.Length < source.Size)
        {
            redirected = _redirected = new SocketAddress(source.Family, source.Buffer.Length);
        }

        redirected.Size = source.Size;
        source.Buffer.Span[..source.Size].CopyTo(redirected.Buffer.Span);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(redirected.Buffer.Span[2..], port);
        return redirected;
    }

    /// <summary>Comprehension-required attributes a Binding request may carry; anything else below 0x8000 earns a 420.</summary>
    private static int CollectUnknown(StunMessage request, Span<ushort> unknown)
    {
        var count = 0;
        foreach (var attribute in request.Attributes)
        {
            if (!StunAttributeType.IsComprehensionRequired(attribute.Type) || IsUnderstood(attribute.Type) || count == unknown.Length)
            {
                continue;
            }

            unknown[count++] = attribute.Type;
        }

        return count;
    }

    private static bool IsUnderstood(ushort type) => type is StunAttributeType.ChangeRequest
        or StunAttributeType.ResponsePort
        or StunAttributeType.Padding
        or StunAttributeType.Username
        or StunAttributeType.MessageIntegrity
        or StunAttributeType.MessageIntegritySha256
        or StunAttributeType.Realm
        or StunAttributeType.Nonce;
}
