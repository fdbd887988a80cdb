using CsCheck;
using Matchmaker.Protocol.Stun;

namespace Matchmaker.Tests.Protocol;

public sealed class StunMessageTypeTests
{
    [Theory]
    [InlineData(0x0001, StunMethods.Binding, StunClass.Request)]
    [InlineData(0x0011, StunMethods.Binding, StunClass.Indication)]
    [InlineData(0x0101, StunMethods.Binding, StunClass.SuccessResponse)]
    [InlineData(0x0111, StunMethods.Binding, StunClass.ErrorResponse)]
    public void Binding_types_encode_as_RFC_8489_figure_3(ushort wire, ushort method, StunClass cls)
    {
        Assert.Equal(wire, new StunMessageType(method, cls).Encode());
        Assert.Equal(new StunMessageType(method, cls), StunMessageType.Decode(wire));
    }

    [Fact]
    public void Every_method_and_class_round_trips_through_a_distinct_14_bit_wire_type()
    {
        var seen = new HashSet<ushort>();
        for (var method = 0; method <= StunMessageType.MaxMethod; method++)
        {
            foreach (var cls in Enum.GetValues<StunClass>())
            {
                var type = new StunMessageType((ushort)method, cls);
                var wire = type.Encode();

                Assert.Equal(0, wire & 0xC000);
                Assert.Equal(type, StunMessageType.Decode(wire));
                Assert.True(seen.Add(wire), $"{type} collides");
            }
        }

        Assert.Equal(4096 * 4, seen.Count);
    }

    [Fact]
    public void Every_14_bit_wire_type_decodes_and_re_encodes_to_itself()
    {
        for (var wire = 0; wire <= 0x3FFF; wire++)
        {
            Assert.Equal(wire, StunMessageType.Decode((ushort)wire).Encode());
        }
    }

    [Theory]
    [InlineData(StunMethods.Register, StunClass.Request, 0x2001)]
    [InlineData(StunMethods.Introduction, StunClass.SuccessResponse, 0x2107)]
    [InlineData(StunMethods.Bye, StunClass.ErrorResponse, 0x2133)]
    [InlineData(StunMessageType.MaxMethod, StunClass.ErrorResponse, 0x3FFF)]
    public void Matchmaker_methods_interleave_the_class_bits_like_any_other(ushort method, StunClass cls, ushort wire)
    {
        Assert.Equal(wire, new StunMessageType(method, cls).Encode());
    }

    [Fact]
    public void Message_type_survives_the_writer_and_the_parser()
    {
        Gen.Select(StunGen.MessageType, StunGen.TransactionId).Sample((type, transactionId) =>
        {
            var bytes = StunTestMessages.Build(type, transactionId, (ref StunMessageWriter _) => { });

            Assert.Equal(type, StunTestMessages.Parse(bytes).Type);
            Assert.Equal(type.WithClass(StunClass.ErrorResponse), StunMessageType.Decode((ushort)(type.Encode() | 0x0110)));
        }, iter: 2000);
    }
}
