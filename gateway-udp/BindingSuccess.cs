using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Gateway;

/// <summary>
/// The Binding success response (RFC 8489 §14.2 XOR-MAPPED-ADDRESS, RFC 5780 §7.3 RESPONSE-ORIGIN and
/// §7.4 OTHER-ADDRESS), written the same way whether this gateway answers itself or answers a change-IP
/// probe on a peer's behalf, so both replies have the same shape and obey the same size budget.
/// </summary>
internal static class BindingSuccess
{
    /// <summary>
    /// Optional attributes go in only while the reply stays within <paramref name="buffer"/> (the
    /// anti-amplification budget). Returns the length, or 0 when not even XOR-MAPPED-ADDRESS fits.
    /// An empty <paramref name="otherAddress"/> leaves OTHER-ADDRESS out.
    /// </summary>
    public static int Write(
        Span<byte> buffer,
        ReadOnlySpan<byte> transactionId,
        ReadOnlySpan<byte> mappedAddress,
        ushort mappedPort,
        ReadOnlySpan<byte> originAddress,
        ushort originPort,
        ReadOnlySpan<byte> otherAddress,
        ushort otherPort,
        bool withFingerprint)
    {
        var reserved = withFingerprint ? StunAttributeLayout.PaddedLength(FingerprintAttribute.ValueLength) : 0;
        if (buffer.Length < StunHeader.Length)
        {
            return 0;
        }

        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.Binding, StunClass.SuccessResponse), transactionId);
        if (!writer.Fits(XorAddressAttribute.ValueLength(mappedAddress.Length) + reserved))
        {
            return 0;
        }

        writer.AppendXorAddress(StunAttributeType.XorMappedAddress, mappedAddress, mappedPort);
        if (writer.Fits(MappedAddressAttribute.ValueLength(originAddress.Length) + reserved))
        {
            writer.AppendMappedAddress(StunAttributeType.ResponseOrigin, originAddress, originPort);
        }

        if (!otherAddress.IsEmpty && writer.Fits(MappedAddressAttribute.ValueLength(otherAddress.Length) + reserved))
        {
            writer.AppendMappedAddress(StunAttributeType.OtherAddress, otherAddress, otherPort);
        }

        if (withFingerprint)
        {
            writer.AppendFingerprint();
        }

        return writer.Length;
    }
}
