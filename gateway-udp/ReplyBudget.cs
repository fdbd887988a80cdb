using Matchmaker.Protocol.Control;

namespace Matchmaker.Gateway;

/// <summary>
/// The anti-amplification rule (RFC 9000 §8.1, applied to STUN): to a source that has not proven it
/// receives at its address, reply with at most three times the bytes it sent.
/// </summary>
internal static class ReplyBudget
{
    public static int ForUnproven(int requestLength, int bufferLength) =>
        Math.Min(bufferLength, requestLength * ProtocolLimits.AmplificationFactor);
}
