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
}
