using Matchmaker.Protocol.Stun;

namespace Matchmaker.Tests.Protocol;

/// <summary>Writes the attributes of a test message.</summary>
internal delegate void MessageBody(ref StunMessageWriter writer);

/// <summary>Building, parsing and tampering helpers shared by the codec tests.</summary>
internal static class StunTestMessages
{
    public static readonly StunMessageType BindingRequest = new(StunMethods.Binding, StunClass.Request);

    public static byte[] TransactionId => [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x10, 0x32, 0x54, 0x76];

    public static byte[] Build(MessageBody body) => Build(BindingRequest, TransactionId, body);

    public static byte[] Build(StunMessageType type, ReadOnlySpan<byte> transactionId, MessageBody body)
    {
        var buffer = new byte[8192];
        var writer = new StunMessageWriter(buffer, type, transactionId);
        body(ref writer);
        return writer.Written.ToArray();
    }

    /// <summary>Hex as RFCs print it (spaces and line breaks allowed) to bytes.</summary>
    public static byte[] FromHex(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    /// <summary>Parses and fails the test unless the datagram is well formed.</summary>
    public static StunMessage Parse(byte[] datagram)
    {
        var status = StunMessage.TryParse(datagram, out var message);
        Assert.Equal(StunParseStatus.Ok, status);
        return message;
    }

    public static List<(ushort Type, byte[] Value)> AttributesOf(byte[] datagram)
    {
        var attributes = new List<(ushort Type, byte[] Value)>();
        foreach (var attribute in Parse(datagram).Attributes)
        {
            attributes.Add((attribute.Type, attribute.Value.ToArray()));
        }

        return attributes;
    }

    public static void AssertSameAttributes(IReadOnlyList<(ushort Type, byte[] Value)> expected, IReadOnlyList<(ushort Type, byte[] Value)> actual)
    {
        Assert.Equal(expected.Select(a => a.Type), actual.Select(a => a.Type));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Value, actual[i].Value);
        }
    }

    /// <summary>Copies a message attribute by attribute through the writer, keeping those <paramref name="keep"/> selects.</summary>
    public static byte[] Rewrite(byte[] datagram, Func<ushort, bool> keep)
    {
        var message = Parse(datagram);
        var buffer = new byte[datagram.Length];
        var writer = new StunMessageWriter(buffer, message.Type, message.TransactionId);
        foreach (var attribute in message.Attributes)
        {
            if (keep(attribute.Type))
            {
                writer.Append(attribute.Type, attribute.Value);
            }
        }

        return writer.Written.ToArray();
    }

    /// <summary>Copies a message with every attribute of <paramref name="type"/> given <paramref name="value"/> instead.</summary>
    public static byte[] Replace(byte[] datagram, ushort type, byte[] value)
    {
        var message = Parse(datagram);
        var buffer = new byte[datagram.Length * (1 + StunAttributeLayout.PaddedLength(value.Length))];
        var writer = new StunMessageWriter(buffer, message.Type, message.TransactionId);
        foreach (var attribute in message.Attributes)
        {
            writer.Append(attribute.Type, attribute.Type == type ? value : attribute.Value);
        }

        return writer.Written.ToArray();
    }

    public static byte[] FlipBit(byte[] datagram, int bit)
    {
        var copy = (byte[])datagram.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    /// <summary>Where the 4-byte header of the first attribute of a type starts.</summary>
    public static int OffsetOf(byte[] datagram, ushort type)
    {
        Assert.True(Parse(datagram).TryGetAttribute(type, out StunAttribute attribute), $"no attribute 0x{type:X4}");
        return attribute.Offset;
    }
}
