using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Protocol.Control;

/// <summary>
/// The PunchReport request (method 0x809): after each introduced peer connects or its punch deadline
/// passes, the client tells the cluster how it went, so success per NAT pair and method can be counted.
/// Everything in it is bounded by construction (enumerations and a capped duration), because the
/// values become metric tags: a report outside those bounds is refused, never counted.
/// </summary>
public sealed record PunchReportMessage(
    Guid IntroductionId,
    ConnectMethod Method,
    NatCapabilities OwnNat,
    NatCapabilities PeerNat,
    PunchOutcome Outcome,
    TimeSpan TimeToConnect)
{
    /// <summary>Longest duration a report may carry: an introduction never lives longer than this.</summary>
    public static readonly TimeSpan MaxTimeToConnect = TimeSpan.FromMinutes(10);

    public void Write(ref StunMessageWriter writer)
    {
        writer.AppendGuid(StunAttributeType.IntroductionId, IntroductionId);
        writer.AppendByte(StunAttributeType.ConnectMethod, (byte)Method);
        writer.AppendUInt32(StunAttributeType.OwnNat, OwnNat.Encode());
        writer.AppendUInt32(StunAttributeType.PeerNat, PeerNat.Encode());
        writer.AppendByte(StunAttributeType.PunchOutcome, (byte)Outcome);
        var milliseconds = Math.Clamp(TimeToConnect.TotalMilliseconds, 0, MaxTimeToConnect.TotalMilliseconds);
        writer.AppendUInt32(StunAttributeType.TimeToConnect, (uint)milliseconds);
    }

    public static bool TryRead(StunMessage message, out PunchReportMessage report)
    {
        report = null!;
        if (!message.TryGetGuid(StunAttributeType.IntroductionId, out var id)
            || !message.TryGetByte(StunAttributeType.ConnectMethod, out var method)
            || !Enum.IsDefined((ConnectMethod)method)
            || !message.TryGetUInt32(StunAttributeType.OwnNat, out var ownWord)
            || !NatCapabilities.TryDecode(ownWord, out var own)
            || !message.TryGetUInt32(StunAttributeType.PeerNat, out var peerWord)
            || !NatCapabilities.TryDecode(peerWord, out var peer)
            || !message.TryGetByte(StunAttributeType.PunchOutcome, out var outcome)
            || !Enum.IsDefined((PunchOutcome)outcome)
            || !message.TryGetUInt32(StunAttributeType.TimeToConnect, out var milliseconds)
            || milliseconds > MaxTimeToConnect.TotalMilliseconds)
        {
            return false;
        }

        report = new PunchReportMessage(id, (ConnectMethod)method, own, peer, (PunchOutcome)outcome, TimeSpan.FromMilliseconds(milliseconds));
        return true;
    }
}
