using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>No single-bit corruption of an RFC 5769 vector survives the parser, MESSAGE-INTEGRITY and FINGERPRINT.</summary>
public sealed class Rfc5769TamperingTests
{
    [Theory]
    [InlineData(nameof(Rfc5769.SampleRequest))]
    [InlineData(nameof(Rfc5769.SampleIpv4Response))]
    [InlineData(nameof(Rfc5769.SampleIpv6Response))]
    [InlineData(nameof(Rfc5769.SampleLongTermRequest))]
    public void Every_single_bit_flip_is_rejected_or_detected(string vectorName)
    {
        var vector = Rfc5769.Vector(vectorName);
        var key = Rfc5769.KeyFor(vectorName);
        var hasFingerprint = StunTestMessages.Parse(vector).HasAttribute(StunAttributeType.Fingerprint);

        for (var bit = 0; bit < vector.Length * 8; bit++)
        {
            var status = StunMessage.TryParse(StunTestMessages.FlipBit(vector, bit), out var message);
            if (status != StunParseStatus.Ok)
            {
                continue;
            }

            var integrityHolds = message.HasValidMessageIntegrity(key);
            var fingerprintHolds = message.HasAttribute(StunAttributeType.Fingerprint) && message.FingerprintIsValidOrAbsent();
            Assert.False(integrityHolds && (fingerprintHolds || !hasFingerprint), $"flipping bit {bit} of {vectorName} went unnoticed");
        }
    }

    [Theory]
    [InlineData(nameof(Rfc5769.SampleRequest))]
    [InlineData(nameof(Rfc5769.SampleIpv4Response))]
    [InlineData(nameof(Rfc5769.SampleIpv6Response))]
    [InlineData(nameof(Rfc5769.SampleLongTermRequest))]
    public void Every_strict_prefix_of_a_vector_fails_to_parse(string vectorName)
    {
        var vector = Rfc5769.Vector(vectorName);

        for (var length = 0; length < vector.Length; length++)
        {
            var status = StunMessage.TryParse(vector.AsSpan(0, length), out _);

            Assert.True(status is StunParseStatus.TooShort or StunParseStatus.LengthMismatch, $"prefix of {length} bytes: {status}");
        }
    }
}
