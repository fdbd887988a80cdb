using System.Text;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Fuzz;

/// <summary>
/// The STUN codec both gateway and client run on every datagram: framing (RFC 8489 §5–6) and every
/// attribute reader, applied to every attribute whatever its type, plus both integrity checks.
/// </summary>
internal sealed class StunTarget : IFuzzTarget
{
    /// <summary>RFC 5769 §2.1's short-term password, so the checked-in vectors verify and the MAC path is exercised.</summary>
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBt");

    public string Name => "stun";

    public IEnumerable<(string Name, byte[] Datagram)> Seeds()
    {
        var transactionId = new byte[StunHeader.TransactionIdLength];
        yield return ("binding-request", SeedWriter.Build(StunMethods.Binding, StunClass.Request, transactionId, (ref StunMessageWriter w) => w.AppendFingerprint()));
        yield return ("binding-change-request", SeedWriter.Build(StunMethods.Binding, StunClass.Request, transactionId, (ref StunMessageWriter w) =>
        {
            w.AppendChangeRequest(changeIp: true, changePort: true);
            w.AppendResponsePort(3479);
            w.AppendPaddingTo(128);
            w.AppendFingerprint();
        }));
        yield return ("binding-response-v4", SeedWriter.Build(StunMethods.Binding, StunClass.SuccessResponse, transactionId, (ref StunMessageWriter w) =>
        {
            w.AppendXorAddress(StunAttributeType.XorMappedAddress, SeedWriter.V4);
            w.AppendMappedAddress(StunAttributeType.ResponseOrigin, SeedWriter.V4);
            w.AppendMappedAddress(StunAttributeType.OtherAddress, SeedWriter.V4);
            w.AppendMessageIntegrity(Key);
            w.AppendFingerprint();
        }));
        yield return ("binding-response-v6", SeedWriter.Build(StunMethods.Binding, StunClass.SuccessResponse, transactionId, (ref StunMessageWriter w) =>
        {
            w.AppendXorAddress(StunAttributeType.XorMappedAddress, SeedWriter.V6);
            w.AppendMessageIntegritySha256(Key);
            w.AppendFingerprint();
        }));
        yield return ("binding-error", SeedWriter.Build(StunMethods.Binding, StunClass.ErrorResponse, transactionId, (ref StunMessageWriter w) =>
        {
            w.AppendErrorCode(420, "unknown-attribute");
            w.AppendUnknownAttributes([0x7001, 0x7002, 0x7003]);
            w.AppendFingerprint();
        }));
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (StunMessage.TryParse(input, out var message) != StunParseStatus.Ok)
        {
            return;
        }

        _ = message.Type.Method + (int)message.Type.Class;
        _ = message.FingerprintIsValidOrAbsent();
        _ = message.HasValidMessageIntegrity(Key);
        _ = message.HasValidMessageIntegritySha256(Key);
        _ = message.TryGetChangeRequest(out _, out _);
        _ = message.TryGetResponsePort(out _);
        _ = message.TryGetErrorCode(out _, out _);
        _ = message.TryGetMappedAddress(StunAttributeType.MappedAddress, out _);
        _ = message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out _);
        Span<ushort> unknown = stackalloc ushort[32];
        foreach (var attribute in message.Attributes)
        {
            // Every reader on every attribute: a reader must refuse a value meant for another, never throw.
            _ = MappedAddressAttribute.TryReadMappedAddress(attribute.Value, out _);
            _ = XorAddressAttribute.TryReadXorAddress(attribute.Value, message.TransactionId, out _);
            _ = UnknownAttributesAttribute.ReadUnknownAttributes(attribute.Value, unknown);
            _ = LobbyEntryAttribute.TryRead(attribute.Value, out _);
            _ = message.TryGetString(attribute.Type, ProtocolLimits.MaxLobbyNameBytes, out _);
            _ = message.TryGetUInt32(attribute.Type, out _);
            _ = message.TryGetByte(attribute.Type, out _);
            _ = message.TryGetGuid(attribute.Type, out _);
            _ = StunAttributeType.IsComprehensionRequired(attribute.Type);
        }
    }
}
