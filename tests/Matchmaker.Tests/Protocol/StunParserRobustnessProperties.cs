using System.Reflection;
using CsCheck;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>
/// The parser and every decoder face hostile bytes on a public port: they must report, never throw,
/// and whatever they accept must be internally consistent.
/// </summary>
public sealed class StunParserRobustnessProperties
{
    /// <summary>A valid header in front of an arbitrary body whose length is a multiple of four.</summary>
    internal static readonly Gen<byte[]> HeaderValidSoup =
        Gen.Select(Gen.UShort[0, 0x3FFF], StunGen.TransactionId, Gen.Int[0, 40], Gen.Byte.Array[160], Gen.Bool)
            .Select((type, transactionId, words, noise, tameLengths) =>
            {
                var datagram = new byte[StunHeader.Length + (4 * words)];
                datagram[0] = (byte)(type >> 8);
                datagram[1] = (byte)type;
                datagram[2] = (byte)((4 * words) >> 8);
                datagram[3] = (byte)(4 * words);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), StunHeader.MagicCookie);
                transactionId.CopyTo(datagram, 8);
                noise.AsSpan(0, 4 * words).CopyTo(datagram.AsSpan(StunHeader.Length));

                // Half the soups get small attribute lengths, so that many of them are well formed.
                for (var offset = StunHeader.Length; tameLengths && offset + 4 <= datagram.Length; offset += StunAttributeLayout.PaddedLength(datagram[offset + 3]))
                {
                    datagram[offset + 2] = 0;
                    datagram[offset + 3] &= 0x1F;
                }

                return datagram;
            });

    private static readonly byte[] Key = "robustness"u8.ToArray();

    private static readonly ushort[] KnownTypes = typeof(StunAttributeType)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(ushort))
        .Select(f => (ushort)f.GetRawConstantValue()!)
        .ToArray();

    /// <summary>Well-formed messages whose attributes are of known types but carry arbitrary values.</summary>
    private static readonly Gen<byte[]> KnownTypesWithGarbage =
        Gen.Select(StunGen.MessageType, StunGen.TransactionId, Gen.Select(Gen.OneOf(KnownTypes), Gen.Byte.Array[0, 40]).Array[0, 16])
            .Select((type, transactionId, attributes) => StunTestMessages.Build(type, transactionId, (ref StunMessageWriter writer) =>
            {
                foreach (var (attributeType, value) in attributes.Where(a => a.Item1 != StunAttributeType.Fingerprint))
                {
                    writer.Append(attributeType, value);
                }

                var fingerprint = attributes.FirstOrDefault(a => a.Item1 == StunAttributeType.Fingerprint);
                if (fingerprint.Item2 is not null)
                {
                    writer.Append(StunAttributeType.Fingerprint, fingerprint.Item2);
                }
            }));

    [Fact]
    public void TryParse_never_throws_on_arbitrary_bytes()
    {
        Gen.Byte.Array.Sample(ParseAndExercise, iter: 20_000);
    }

    [Fact]
    public void TryParse_never_throws_on_a_valid_header_followed_by_arbitrary_attributes()
    {
        HeaderValidSoup.Sample(ParseAndExercise, iter: 20_000);
    }

    [Fact]
    public void Decoders_never_throw_on_known_attribute_types_with_arbitrary_values()
    {
        KnownTypesWithGarbage.Sample(datagram =>
        {
            Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out _));
            ParseAndExercise(datagram);
        }, iter: 5_000);
    }

    [Fact]
    public void TryParse_never_throws_on_mutated_valid_messages()
    {
        var seeds = Gen.OneOf(
            StunGen.WrittenMessage,
            KnownTypesWithGarbage,
            Gen.OneOf(Rfc5769.SampleRequest, Rfc5769.SampleIpv4Response, Rfc5769.SampleIpv6Response, Rfc5769.SampleLongTermRequest));
        var mutation = Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte);

        Gen.Select(seeds, mutation.Array[1, 6]).Sample((seed, mutations) =>
        {
            var datagram = (byte[])seed.Clone();
            foreach (var (position, value) in mutations)
            {
                datagram[position % datagram.Length] = value;
            }

            ParseAndExercise(datagram);
        }, iter: 10_000);
    }

    [Fact]
    public void Every_strict_prefix_of_a_valid_message_fails_to_parse()
    {
        Gen.Select(StunGen.WrittenMessage, Gen.Int[0, int.MaxValue]).Sample((datagram, cut) =>
        {
            var prefix = datagram.AsSpan(0, cut % datagram.Length);

            var status = StunMessage.TryParse(prefix, out _);

            Assert.True(status is StunParseStatus.TooShort or StunParseStatus.LengthMismatch, status.ToString());
        }, iter: 5_000);
    }

    [Fact]
    public void A_valid_message_with_bytes_appended_fails_to_parse()
    {
        Gen.Select(StunGen.WrittenMessage, Gen.Byte.Array[1, 12]).Sample((datagram, tail) =>
        {
            Assert.Equal(StunParseStatus.LengthMismatch, StunMessage.TryParse([.. datagram, .. tail], out _));
        }, iter: 2_000);
    }

    [Fact]
    public void Anything_that_parses_looks_like_stun()
    {
        Gen.OneOf(Gen.Byte.Array, HeaderValidSoup).Sample(datagram =>
        {
            var status = StunMessage.TryParse(datagram, out _);

            if (!StunHeader.LooksLikeStun(datagram))
            {
                Assert.True(status is StunParseStatus.TooShort or StunParseStatus.NotStun or StunParseStatus.BadMagicCookie, status.ToString());
            }
            else
            {
                Assert.False(status is StunParseStatus.TooShort or StunParseStatus.NotStun or StunParseStatus.BadMagicCookie, status.ToString());
            }
        }, iter: 10_000);
    }

    /// <summary>Parses, and when the datagram is accepted, runs every decoder over it and checks its attributes tile the body.</summary>
    private static void ParseAndExercise(byte[] datagram)
    {
        var status = StunMessage.TryParse(datagram, out var message);
        Assert.True(Enum.IsDefined(status));
        if (status != StunParseStatus.Ok)
        {
            return;
        }

        Assert.Equal(datagram.Length, message.Buffer.Length);
        _ = message.Type;
        var covered = 0;
        var sawFingerprint = false;
        Span<ushort> unknown = stackalloc ushort[32];
        foreach (var attribute in message.Attributes)
        {
            Assert.False(sawFingerprint, "an attribute follows FINGERPRINT");
            Assert.Equal(StunHeader.Length + covered, attribute.Offset);
            covered += attribute.PaddedLength;
            sawFingerprint = attribute.Type == StunAttributeType.Fingerprint;
            _ = XorAddressAttribute.TryReadXorAddress(attribute.Value, message.TransactionId, out _);
            _ = MappedAddressAttribute.TryReadMappedAddress(attribute.Value, out _);
            _ = UnknownAttributesAttribute.ReadUnknownAttributes(attribute.Value, unknown);
            _ = LobbyEntryAttribute.TryRead(attribute.Value, out _);
        }

        Assert.Equal(datagram.Length - StunHeader.Length, covered);
        foreach (var type in KnownTypes)
        {
            _ = message.TryGetXorAddress(type, out _);
            _ = message.TryGetMappedAddress(type, out _);
            _ = message.TryGetUInt32(type, out _);
            _ = message.TryGetByte(type, out _);
            _ = message.TryGetGuid(type, out _);
            _ = message.TryGetString(type, 763, out _);
        }

        _ = message.TryGetErrorCode(out _, out _);
        _ = message.TryGetChangeRequest(out _, out _);
        _ = message.HasValidMessageIntegrity(Key);
        _ = message.HasValidMessageIntegritySha256(Key);
        _ = message.FingerprintIsValidOrAbsent();
        _ = IntroductionMessage.TryRead(message, Key, out _);
    }
}
