using System.Buffers.Binary;
using System.Text;

namespace Matchmaker.Protocol.Stun.Attributes;

/// <summary>
/// ERROR-CODE (RFC 8489 §14.8): class (hundreds) and number, then a UTF-8 reason phrase. Matchmaker
/// puts a stable machine-readable slug in the reason (e.g. <c>lobby-not-found</c>) so scripts need no table.
/// </summary>
public static class ErrorCodeAttribute
{
    public const int MaxReasonBytes = 127;

    public static int ValueLength(string reason)
    {
        Span<byte> reasonBytes = stackalloc byte[MaxReasonBytes * 3];
        return 4 + EncodeReason(reason, reasonBytes);
    }

    public static void AppendErrorCode(this ref StunMessageWriter writer, int code, string reason)
    {
        Span<byte> reasonBytes = stackalloc byte[MaxReasonBytes * 3];
        var written = EncodeReason(reason, reasonBytes);
        var value = writer.Append(StunAttributeType.ErrorCode, 4 + written);
        BinaryPrimitives.WriteUInt16BigEndian(value, 0);
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        reasonBytes[..written].CopyTo(value[4..]);
    }

    /// <summary>
    /// UTF-8 of at most <see cref="MaxReasonBytes"/> bytes, cut before a character rather than inside it:
    /// RFC 8489 §14.8 requires the reason phrase to be UTF-8, and a torn sequence is not.
    /// </summary>
    private static int EncodeReason(string reason, Span<byte> destination)
    {
        var written = Encoding.UTF8.GetBytes(reason.AsSpan(0, Math.Min(reason.Length, MaxReasonBytes)), destination);
        if (written <= MaxReasonBytes)
        {
            return written;
        }

        written = MaxReasonBytes;
        while ((destination[written] & 0xC0) == 0x80)
        {
            written--;
        }

        return written;
    }

    public static bool TryGetErrorCode(this StunMessage message, out int code, out string reason)
    {
        code = 0;
        reason = string.Empty;
        if (!message.TryGetAttribute(StunAttributeType.ErrorCode, out ReadOnlySpan<byte> value) || value.Length < 4)
        {
            return false;
        }

        var cls = value[2] & 0x07;
        var number = value[3];
        if (cls is < 3 or > 6 || number > 99)
        {
            return false;
        }

        code = (cls * 100) + number;
        reason = Encoding.UTF8.GetString(value[4..]);
        return true;
    }
}
