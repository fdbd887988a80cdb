using CsCheck;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>PADDING (RFC 5780 §7.6): grows a message to a target length, e.g. the first Register.</summary>
public sealed class PaddingAttributeTests
{
    [Fact]
    public void Register_padding_plus_fingerprint_lands_exactly_on_the_padded_length()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
        {
            writer.AppendUInt32(StunAttributeType.NatCapabilities, 0);
            writer.AppendPaddingTo(Matchmaker.Protocol.Control.ProtocolLimits.RegisterPaddedLength - StunAttributeLayout.PaddedLength(FingerprintAttribute.ValueLength));
            writer.AppendFingerprint();
        });

        Assert.Equal(Matchmaker.Protocol.Control.ProtocolLimits.RegisterPaddedLength, bytes.Length);
        var message = StunTestMessages.Parse(bytes);
        Assert.True(message.HasAttribute(StunAttributeType.Padding));
        Assert.True(message.FingerprintIsValidOrAbsent());
    }

    [Fact]
    public void Padding_to_a_length_already_reached_adds_nothing()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
        {
            writer.AppendUInt32(StunAttributeType.Lifetime, 1);
            writer.AppendPaddingTo(writer.Length);
            writer.AppendPaddingTo(writer.Length - 4);
        });

        Assert.Equal(StunHeader.Length + 8, bytes.Length);
    }

    [Fact]
    public void Padding_to_four_bytes_more_adds_an_empty_padding_attribute()
    {
        var bytes = StunTestMessages.Build((ref StunMessageWriter writer) => writer.AppendPaddingTo(writer.Length + 4));

        Assert.Equal(StunHeader.Length + 4, bytes.Length);
        Assert.Empty(StunTestMessages.AttributesOf(bytes).Single(a => a.Type == StunAttributeType.Padding).Value);
    }

    [Fact]
    public void Padding_reaches_any_target_and_overshoots_by_less_than_four_bytes()
    {
        Gen.Select(Gen.Int[0, 10], Gen.Int[0, 300]).Sample((lifetimes, target) =>
        {
            var bytes = StunTestMessages.Build((ref StunMessageWriter writer) =>
            {
                for (var i = 0; i < lifetimes; i++)
                {
                    writer.AppendUInt32(StunAttributeType.Lifetime, (uint)i);
                }

                writer.AppendPaddingTo(target);
            });

            var unpadded = StunHeader.Length + (8 * lifetimes);
            if (target <= unpadded)
            {
                Assert.Equal(unpadded, bytes.Length);
            }
            else
            {
                Assert.InRange(bytes.Length, target, target + 3);
            }

            Assert.Equal(0, bytes.Length % 4);
            StunTestMessages.Parse(bytes);
        }, iter: 2000);
    }
}
