using System.Net;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Gateway;

/// <summary>
/// First stop for every datagram, on the receive thread: validates framing once, then sends it down
/// exactly one path — Binding answered inline, control requests admitted or refused, push
/// acknowledgements matched — or drops and counts it. Never throws for bad input.
/// </summary>
internal sealed class PacketRouter(
    BindingResponder binding,
    ControlGate gate,
    ControlRequestHandler handler,
    PushRetransmitter pushes,
    GatewayMetrics metrics)
{
    public void Route(GatewaySocket socket, ReadOnlySpan<byte> datagram, SocketAddress source, Span<byte> sendBuffer)
    {
        if (StunMessage.TryParse(datagram, out var message) != StunParseStatus.Ok)
        {
            metrics.Count(PacketType.Invalid, PacketResult.Malformed);
            return;
        }

        var type = message.Type;
        if (!message.FingerprintIsValidOrAbsent())
        {
            metrics.Count(PacketTypes.ForMethod(type.Method), PacketResult.Malformed);
            return;
        }

        switch (type.Class)
        {
            case StunClass.Request when type.Method == StunMethods.Binding:
                binding.Respond(socket, message, source, sendBuffer);
                break;
            case StunClass.Indication when type.Method == StunMethods.Binding:
                // RFC 8489 §6.3.2: a Binding indication is a keepalive and gets no answer.
                metrics.Count(PacketType.Binding, PacketResult.Ok);
                break;
            case StunClass.Request when StunMethods.IsControl(type.Method) && !StunMethods.IsPush(type.Method):
                if (gate.Admit(socket, message, source, sendBuffer) is { } request)
                {
                    handler.Start(request);
                }

                break;
            case StunClass.SuccessResponse when type.Method is StunMethods.Introduction or StunMethods.LobbyClosed:
                metrics.Count(PacketType.PushAck, pushes.Acknowledge(message.TransactionId, source) ? PacketResult.Ok : PacketResult.Stale);
                break;
            default:
                metrics.Count(PacketTypes.ForMethod(type.Method), PacketResult.Malformed);
                break;
        }
    }
}
