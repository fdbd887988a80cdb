using CsCheck;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 §14.9): a list of 16-bit types, padded when the count is odd.</summary>
public sealed class UnknownAttributesAttributeTests
{
    [Theory]
    [InlineData(new ushort[0])]
    [InlineData(new ushort[] { 0x4001 })]
    [InlineData(new ushort[] { 0x4001, 0x0002 })]
    [InlineData(new ushort[] { 0x7FFF, 0x0000, 0x4ABC })]
    public void Unknown_attribute_list_round_trips(ushort[] types)
    {
        var bytes = Write(types);
        var value = StunTestMessages.AttributesOf(bytes).Single().Value;

        Assert.Equal(types.Length * 2, value.Length);
        Assert.Equal(StunHeader.Length + StunAttributeLayout.PaddedLength(types.Length * 2), bytes.Length);
        var read = new ushort[types.Length];
        Assert.Equal(types.Length, UnknownAttributesAttribute.ReadUnknownAttributes(value, read));
        Assert.Equal(types, read);
    }

    [Fact]
    public void Any_unknown_attribute_list_round_trips()
    {
        Gen.UShort.Array[0, 40].Sample(types =>
        {
            var value = StunTestMessages.AttributesOf(Write(types)).Single().Value;
            var read = new ushort[64];

            var count = UnknownAttributesAttribute.ReadUnknownAttributes(value, read);

            Assert.Equal(types, read[..count]);
        }, iter: 1000);
    }

    [Fact]
    public void Reading_stops_when_the_destination_is_full()
    {
        var value = StunTestMessages.AttributesOf(Write([1, 2, 3, 4])).Single().Value;
        var read = new ushort[2];

        Assert.Equal(2, UnknownAttributesAttribute.ReadUnknownAttributes(value, read));
        Assert.Equal([1, 2], read);
    }

    [Fact]
    public void A_trailing_odd_byte_is_ignored()
    {
        var read = new ushort[4];

        Assert.Equal(1, UnknownAttributesAttribute.ReadUnknownAttributes([0x40, 0x01, 0x7F], read));
        Assert.Equal(0x4001, read[0]);
    }

    private static byte[] Write(ushort[] types) =>
        StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendUnknownAttributes(types));
}
