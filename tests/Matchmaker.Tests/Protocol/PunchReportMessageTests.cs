using System.Security.Cryptography;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>PunchReport (0x809): what the client says about one punch, and the bounds the gateway holds it to.</summary>
public sealed class PunchReportMessageTests
{
    private static readonly NatCapabilities FullCone = new(NatMapping.EndpointIndependent, NatFiltering.EndpointIndependent, false, false, false);
    private static readonly NatCapabilities Symmetric = new(NatMapping.AddressAndPortDependent, NatFiltering.AddressAndPortDependent, false, false, false);

    [Fact]
    public void A_report_round_trips_through_the_wire()
    {
        var report = new PunchReportMessage(Guid.NewGuid(), ConnectMethod.ConeToSymmetric, FullCone, Symmetric, PunchOutcome.Connected, TimeSpan.FromMilliseconds(1234));

        Assert.True(TryRead(Build((ref StunMessageWriter w) => report.Write(ref w)), out var read));
        Assert.Equal(report, read);
    }

    [Fact]
    public void A_report_missing_an_attribute_is_refused()
    {
        var message = Build((ref StunMessageWriter w) =>
        {
            w.AppendGuid(StunAttributeType.IntroductionId, Guid.NewGuid());
            w.AppendByte(StunAttributeType.ConnectMethod, (byte)ConnectMethod.Direct);
            w.AppendUInt32(StunAttributeType.OwnNat, FullCone.Encode());
            w.AppendUInt32(StunAttributeType.PeerNat, FullCone.Encode());
            w.AppendByte(StunAttributeType.PunchOutcome, (byte)PunchOutcome.Connected);
        });

        Assert.False(TryRead(message, out _));
    }

    [Theory]
    [InlineData(0, 0, 0, 100u)]
    [InlineData(99, 0, 0, 100u)]
    [InlineData(1, 0, 3, 100u)]
    [InlineData(1, 0x04, 0, 100u)]
    [InlineData(1, 0, 0, 600_001u)]
    public void Out_of_range_values_are_refused(byte method, uint ownNatHighByte, byte outcome, uint milliseconds)
    {
        var message = Build((ref StunMessageWriter w) =>
        {
            w.AppendGuid(StunAttributeType.IntroductionId, Guid.NewGuid());
            w.AppendByte(StunAttributeType.ConnectMethod, method);
            w.AppendUInt32(StunAttributeType.OwnNat, FullCone.Encode() | (ownNatHighByte << 24));
            w.AppendUInt32(StunAttributeType.PeerNat, FullCone.Encode());
            w.AppendByte(StunAttributeType.PunchOutcome, outcome);
            w.AppendUInt32(StunAttributeType.TimeToConnect, milliseconds);
        });

        Assert.False(TryRead(message, out _));
    }

    [Fact]
    public void The_nat_pair_is_the_same_whichever_side_reports()
    {
        Assert.Equal("full-cone/symmetric", NatClassNames.PairOf(FullCone, Symmetric));
        Assert.Equal("full-cone/symmetric", NatClassNames.PairOf(Symmetric, FullCone));
        Assert.Equal("unknown/unknown", NatClassNames.PairOf(NatCapabilities.Unknown, NatCapabilities.Unknown));
    }

    [Fact]
    public void Nat_classes_follow_the_classic_names()
    {
        static string Of(NatMapping m, NatFiltering f) => NatClassNames.ClassOf(new NatCapabilities(m, f, false, false, false));

        Assert.Equal("full-cone", Of(NatMapping.EndpointIndependent, NatFiltering.EndpointIndependent));
        Assert.Equal("address-restricted", Of(NatMapping.EndpointIndependent, NatFiltering.AddressDependent));
        Assert.Equal("port-restricted", Of(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent));
        Assert.Equal("cone", Of(NatMapping.EndpointIndependent, NatFiltering.Unknown));
        Assert.Equal("symmetric", Of(NatMapping.AddressDependent, NatFiltering.EndpointIndependent));
        Assert.Equal("symmetric", Of(NatMapping.AddressAndPortDependent, NatFiltering.Unknown));
        Assert.Equal("unknown", Of(NatMapping.Unknown, NatFiltering.EndpointIndependent));
    }

    [Fact]
    public void Every_possible_pair_tag_comes_from_a_small_fixed_set()
    {
        var pairs = new HashSet<string>();
        foreach (var a in Enum.GetValues<NatMapping>())
        {
            foreach (var b in Enum.GetValues<NatFiltering>())
            {
                foreach (var c in Enum.GetValues<NatMapping>())
                {
                    foreach (var d in Enum.GetValues<NatFiltering>())
                    {
                        pairs.Add(NatClassNames.PairOf(new(a, b, false, false, false), new(c, d, true, true, true)));
                    }
                }
            }
        }

        // Six class names, unordered pairs with repetition: 6 * 7 / 2.
        Assert.Equal(21, pairs.Count);
    }

    private delegate void Body(ref StunMessageWriter writer);

    private static byte[] Build(Body body)
    {
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethods.PunchReport, StunClass.Request), RandomNumberGenerator.GetBytes(12));
        body(ref writer);
        return buffer[..writer.Length];
    }

    private static bool TryRead(byte[] datagram, out PunchReportMessage report)
    {
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var message));
        return PunchReportMessage.TryRead(message, out report);
    }
}
