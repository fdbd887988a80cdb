namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>
/// PADDING (RFC 5780 §7.6). Matchmaker's clients pad their first Register so the gateway's answer to
/// an unproven source stays within 3× the request (the anti-amplification rule of RFC 9000 §8.1).
/// </summary>
public static class PaddingAttribute
{
    public static void AppendPaddingTo(this ref StunMessageWriter writer, int targetMessageLength)
    {
        var needed = targetMessageLength - writer.Length - StunAttributeLayout.HeaderLength;
        if (needed > 0)
        {
            writer.Append(StunAttributeType.Padding, StunAttributeLayout.Pad(needed));
        }
    }
}
