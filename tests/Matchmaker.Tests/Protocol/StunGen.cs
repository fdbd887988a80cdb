using System.Net;
using CsCheck;
using Matchmaker.Protocol.Stun;

namespace Matchmaker.Tests.Protocol;

/// <summary>CsCheck generators for the codec's inputs.</summary>
internal static class StunGen
{
    public static readonly Gen<IPAddress> Ipv4 = Gen.Byte.Array[4].Select(bytes => new IPAddress(bytes));

    public static readonly Gen<IPAddress> Ipv6 = Gen.Byte.Array[16].Select(bytes => new IPAddress(bytes)).Where(a => !a.IsIPv4MappedToIPv6);

    public static readonly Gen<IPAddress> Address = Gen.OneOf(Ipv4, Ipv6);

    public static readonly Gen<IPEndPoint> Endpoint = Gen.Select(Address, Gen.UShort, (address, port) => new IPEndPoint(address, port));

    public static readonly Gen<byte[]> TransactionId = Gen.Byte.Array[StunHeader.TransactionIdLength];

    public static readonly Gen<StunMessageType> MessageType =
        Gen.Select(Gen.UShort[0, StunMessageType.MaxMethod], Gen.Enum<StunClass>(), (method, cls) => new StunMessageType(method, cls));

    /// <summary>
    /// Well-formed Unicode text: ASCII, two- and three-byte UTF-8 characters and supplementary-plane
    /// characters as surrogate pairs, but never a lone surrogate (which no UTF-8 encoder can carry).
    /// </summary>
    public static readonly Gen<string> Text = Gen.OneOf(
            Gen.Char[' ', '~'].Select(c => c.ToString()),
            Gen.Char['\u00A0', '\u07FF'].Select(c => c.ToString()),
            Gen.Char['\u0800', '\uD7FF'].Select(c => c.ToString()),
            Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32))
        .Array[0, 80]
        .Select(parts => string.Concat(parts));

    /// <summary>
    /// Any attribute type with a value of any length up to 70 bytes, except the three whose position
    /// matters: FINGERPRINT must come last, and a stray MESSAGE-INTEGRITY(-SHA256) ahead of the real one
    /// would be the one verified.
    /// </summary>
    public static readonly Gen<(ushort Type, byte[] Value)> RawAttribute = Gen.Select(
        Gen.UShort.Where(t => t is not (StunAttributeType.Fingerprint or StunAttributeType.MessageIntegrity or StunAttributeType.MessageIntegritySha256)),
        Gen.Byte.Array[0, 70]);

    public static readonly Gen<(ushort Type, byte[] Value)[]> RawAttributes = RawAttribute.Array[0, 12];

    /// <summary>A message built by the writer from random attributes, for mutation.</summary>
    public static readonly Gen<byte[]> WrittenMessage = Gen.Select(MessageType, TransactionId, RawAttributes, Gen.Bool)
        .Select((type, transactionId, attributes, fingerprint) => StunTestMessages.Build(type, transactionId, (ref StunMessageWriter writer) =>
        {
            foreach (var (attributeType, value) in attributes)
            {
                writer.Append(attributeType, value);
            }

            if (fingerprint)
            {
                Matchmaker.Protocol.Stun.Attributes.FingerprintAttribute.AppendFingerprint(ref writer);
            }
        }));
}
