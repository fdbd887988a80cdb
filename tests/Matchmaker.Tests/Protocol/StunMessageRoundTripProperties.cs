using System.Net;
using System.Text;
using CsCheck;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>Writer → parser → writer agree for any message the codec can express.</summary>
public sealed class StunMessageRoundTripProperties
{
    private static readonly byte[] Key = "round-trip key"u8.ToArray();

    [Fact]
    public void Random_raw_attribute_sets_read_back_in_order_with_type_and_transaction_id()
    {
        Gen.Select(StunGen.MessageType, StunGen.TransactionId, StunGen.RawAttributes).Sample((type, transactionId, attributes) =>
        {
            var bytes = StunTestMessages.Build(type, transactionId, (ref StunMessageWriter writer) =>
            {
                foreach (var (attributeType, value) in attributes)
                {
                    writer.Append(attributeType, value);
                }
            });
            var message = StunTestMessages.Parse(bytes);

            Assert.Equal(type, message.Type);
            Assert.Equal(transactionId, message.TransactionId.ToArray());
            StunTestMessages.AssertSameAttributes(attributes, StunTestMessages.AttributesOf(bytes));
        }, iter: 2000);
    }

    [Fact]
    public void Random_typed_attribute_sets_read_back_through_their_decoders_and_stay_signed()
    {
        Gen.Select(StunGen.TransactionId, TypedAttribute.Any.Array[0, 12], Gen.Bool).Sample((transactionId, attributes, fingerprint) =>
        {
            var bytes = StunTestMessages.Build(StunTestMessages.BindingRequest, transactionId, (ref StunMessageWriter writer) =>
            {
                foreach (var attribute in attributes)
                {
                    attribute.Write(ref writer);
                }

                writer.AppendMessageIntegritySha256(Key);
                if (fingerprint)
                {
                    writer.AppendFingerprint();
                }
            });
            var message = StunTestMessages.Parse(bytes);

            // The reader returns the first attribute of a type (RFC 8489 §14), so only first occurrences are checked.
            foreach (var attribute in attributes.DistinctBy(a => a.Type))
            {
                attribute.AssertReadBack(message);
            }

            Assert.True(message.HasValidMessageIntegritySha256(Key));
            Assert.Equal(fingerprint, message.HasAttribute(StunAttributeType.Fingerprint));
            Assert.True(message.FingerprintIsValidOrAbsent());
        }, iter: 1000);
    }

    [Fact]
    public void A_message_that_parses_re_serializes_to_the_same_bytes_except_padding()
    {
        RawDatagram.Sample(datagram =>
        {
            var rewritten = StunTestMessages.Rewrite(datagram, _ => true);

            Assert.Equal(WithZeroPadding(datagram), rewritten);
            StunTestMessages.AssertSameAttributes(StunTestMessages.AttributesOf(datagram), StunTestMessages.AttributesOf(rewritten));
        }, iter: 2000);
    }

    [Fact]
    public void Arbitrary_bytes_that_happen_to_parse_re_serialize_consistently()
    {
        StunParserRobustnessProperties.HeaderValidSoup.Sample(datagram =>
        {
            if (StunMessage.TryParse(datagram, out _) != StunParseStatus.Ok)
            {
                return;
            }

            var rewritten = StunTestMessages.Rewrite(datagram, _ => true);

            Assert.Equal(WithZeroPadding(datagram), rewritten);
            Assert.Equal(rewritten, StunTestMessages.Rewrite(rewritten, _ => true));
        }, iter: 5000);
    }

    /// <summary>
    /// Datagrams assembled by hand rather than by the writer, with arbitrary padding bytes, any 14-bit
    /// message type and a FINGERPRINT-typed attribute only in last position.
    /// </summary>
    private static readonly Gen<byte[]> RawDatagram =
        Gen.Select(Gen.UShort[0, 0x3FFF], StunGen.TransactionId, Gen.Select(StunGen.RawAttribute, Gen.Byte.Array[3]).Array[0, 10], Gen.Bool)
            .Select((type, transactionId, attributes, fingerprintLast) =>
            {
                var body = new List<byte>();
                foreach (var ((attributeType, value), padding) in attributes)
                {
                    body.AddRange([(byte)(attributeType >> 8), (byte)attributeType, (byte)(value.Length >> 8), (byte)value.Length]);
                    body.AddRange(value);
                    body.AddRange(padding.Take(StunAttributeLayout.Pad(value.Length) - value.Length));
                }

                if (fingerprintLast)
                {
                    body.AddRange([0x80, 0x28, 0x00, 0x04, 1, 2, 3, 4]);
                }

                var header = new byte[StunHeader.Length];
                header[0] = (byte)(type >> 8);
                header[1] = (byte)type;
                header[2] = (byte)(body.Count >> 8);
                header[3] = (byte)body.Count;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), StunHeader.MagicCookie);
                transactionId.CopyTo(header, 8);
                return header.Concat(body).ToArray();
            });

    private static byte[] WithZeroPadding(byte[] datagram)
    {
        var copy = (byte[])datagram.Clone();
        foreach (var attribute in StunTestMessages.Parse(datagram).Attributes)
        {
            var valueEnd = attribute.Offset + StunAttributeLayout.HeaderLength + attribute.Value.Length;
            copy.AsSpan(valueEnd, attribute.Offset + attribute.PaddedLength - valueEnd).Clear();
        }

        return copy;
    }

    /// <summary>One attribute of a known kind: how to write it and how to check it reads back.</summary>
    private abstract record TypedAttribute(ushort Type)
    {
        public static readonly Gen<TypedAttribute> Any = Gen.OneOf<TypedAttribute>(
            Gen.Select(Gen.OneOf(StunAttributeType.XorMappedAddress, StunAttributeType.PeerEndpoint, StunAttributeType.LanEndpoint), StunGen.Endpoint)
                .Select((type, endpoint) => (TypedAttribute)new XorAddress(type, endpoint)),
            Gen.Select(Gen.OneOf(StunAttributeType.MappedAddress, StunAttributeType.ResponseOrigin, StunAttributeType.OtherAddress), StunGen.Endpoint)
                .Select((type, endpoint) => (TypedAttribute)new MappedAddress(type, endpoint)),
            Gen.Select(Gen.Int[300, 699], StunGen.Text.Where(t => Encoding.UTF8.GetByteCount(t) <= ErrorCodeAttribute.MaxReasonBytes))
                .Select((code, reason) => (TypedAttribute)new ErrorCode(code, reason)),
            Gen.UShort.Array[0, 9].Select(types => (TypedAttribute)new UnknownAttributes(types)),
            Gen.Select(Gen.Bool, Gen.Bool).Select((ip, port) => (TypedAttribute)new ChangeRequest(ip, port)),
            Gen.Select(Gen.OneOf(StunAttributeType.Lifetime, StunAttributeType.NatCapabilities, StunAttributeType.HeartbeatInterval), Gen.UInt)
                .Select((type, value) => (TypedAttribute)new UInt32Value(type, value)),
            Gen.Select(Gen.OneOf(StunAttributeType.PeerRole, StunAttributeType.ConnectMethod), Gen.Byte)
                .Select((type, value) => (TypedAttribute)new ByteValue(type, value)),
            Gen.Select(Gen.OneOf(StunAttributeType.PlayerId, StunAttributeType.IntroductionId), Gen.Guid)
                .Select((type, value) => (TypedAttribute)new GuidValue(type, value)),
            Gen.Select(Gen.OneOf(StunAttributeType.LobbyName, StunAttributeType.Software, StunAttributeType.Username), StunGen.Text)
                .Select((type, value) => (TypedAttribute)new TextValue(type, value)));

        public abstract void Write(ref StunMessageWriter writer);

        public abstract void AssertReadBack(StunMessage message);
    }

    private sealed record XorAddress(ushort Type, IPEndPoint Endpoint) : TypedAttribute(Type)
    {
        public override void Write(ref StunMessageWriter writer) => writer.AppendXorAddress(Type, Endpoint);

        public override void AssertReadBack(StunMessage message)
        {
            Assert.True(message.TryGetXorAddress(Type, out var read));
            Assert.Equal(Endpoint, read);
        }
    }

    private sealed record MappedAddress(ushort Type, IPEndPoint Endpoint) : TypedAttribute(Type)
    {
        public override void Write(ref StunMessageWriter writer) => writer.AppendMappedAddress(Type, Endpoint);

        public override void AssertReadBack(StunMessage message)
        {
            Assert.True(message.TryGetMappedAddress(Type, out var read));
            Assert.Equal(Endpoint, read);
        }
    }

    private sealed record ErrorCode(int Code, string Reason) : TypedAttribute(StunAttributeType.ErrorCode)
    {
        public override void Write(ref StunMessageWriter writer) => writer.AppendErrorCode(Code, Reason);

        public override void AssertReadBack(StunMessage message)
        {
            Assert.True(message.TryGetErrorCode(out var code, out var reason));
            Assert.Equal(Code, code);
            Assert.Equal(Reason, reason);
        }
    }

    private sealed record UnknownAttributes(ushort[] Types) : TypedAttribute(StunAttributeType.UnknownAttributes)
    {
        public override void Write(ref StunMessageWriter writer) => writer.AppendUnknownAttributes(Types);

        public override void AssertReadBack(StunMessage message)
        {
            Assert.True(message.TryGetAttribute(Type, out ReadOnlySpan<byte> value));
            var read = new ushort[Types.Length];
            Assert.Equal(Types.Length, UnknownAttributesAttribute.ReadUnknownAttributes(value, read));
            Assert.Equal(Types, read);
        }
    }

    private sealed record ChangeRequest(bool ChangeIp, bool ChangePort) : TypedAttribute(StunAttributeType.ChangeRequest)
    {
        public override void Write(ref StunMessageWriter writer) => writer.AppendChangeRequest(ChangeIp, ChangePort);

        public override void AssertReadBack(StunMessage message)
        {
            Assert.True(message.TryGetChangeRequest(out var changeIp, out var changePort));
            Assert.Equal(ChangeIp, changeIp);
            Assert.Equal(ChangePort, changePort);
        }
    }

    private sealed record UInt32Value(ushort Type, uint Value) : TypedAttribute(Type)
    {
        public override void Write(ref StunMessageWriter writer) => writer.AppendUInt32(Type, Value);

        public override void AssertReadBack(StunMessage message)
        {
            Assert.True(message.TryGetUInt32(Type, out var read));
            Assert.Equal(Value, read);
        }
    }

    private sealed record ByteValue(ushort Type, byte Value) : TypedAttribute(Type)
    {
        public override void Write(ref StunMessageWriter writer) => writer.AppendByte(Type, Value);

        public override void AssertReadBack(StunMessage message)
        {
            Assert.True(message.TryGetByte(Type, out var read));
            Assert.Equal(Value, read);
        }
    }

    private sealed record GuidValue(ushort Type, Guid Value) : TypedAttribute(Type)
    {
        public override void Write(ref StunMessageWriter writer) => writer.AppendGuid(Type, Value);

        public override void AssertReadBack(StunMessage message)
        {
            Assert.True(message.TryGetGuid(Type, out var read));
            Assert.Equal(Value, read);
        }
    }

    private sealed record TextValue(ushort Type, string Value) : TypedAttribute(Type)
    {
        public override void Write(ref StunMessageWriter writer) => writer.AppendString(Type, Value, 400);

        public override void AssertReadBack(StunMessage message)
        {
            Assert.True(message.TryGetString(Type, 400, out var read));
            Assert.Equal(Value, read);
        }
    }
}
