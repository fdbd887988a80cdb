namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>
/// PADDING (RFC 5780 §7.6). Matchmaker's clients pad their first Register so the gateway's answer to
/// an unproven source stays within 3× the request (the anti-amplification rule of RFC 9000 §8.1).
/// </summary>
public static class PaddingAttribute
{
    /// <summary>
    /// Grows the message to at least <paramref name="targetMessageLength"/> bytes (less than 4 more, as
    /// attributes are 32-bit aligned). A target within one attribute header gets an empty PADDING.
    /// </summary>
    public static void AppendPaddingTo(this ref StunMessageWriter writer, int targetMessageLength)
    {
        if (writer.Length < targetMessageLength)
        {
            var needed = targetMessageLength - writer.Length - StunAttributeLayout.HeaderLength;
            writer.Append(StunAttributeType.Padding, StunAttributeLayout.Pad(Math.Max(0, needed)));
        }
    }
}
