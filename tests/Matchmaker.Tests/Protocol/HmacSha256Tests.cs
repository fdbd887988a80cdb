using System.Security.Cryptography;
using CsCheck;
using Matchmaker.Protocol.Crypto;

namespace Matchmaker.Tests.Protocol;

/// <summary>The per-thread HMAC-SHA256 against RFC 4231's vectors and the library's one-shot HMAC.</summary>
public sealed class HmacSha256Tests
{
    [Theory]
    // RFC 4231 §4.2, test case 1: a 20-byte key.
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")]
    // Test case 2: a key shorter than the output.
    [InlineData("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    // Test case 6: a 131-byte key, longer than the block, so hashed first.
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")]
    public void Matches_the_RFC_4231_vectors(string key, string data, string expected)
    {
        var mac = new byte[HmacSha256.HashLength];

        HmacSha256.Compute(Convert.FromHexString(key), Convert.FromHexString(data), mac);

        Assert.Equal(expected, Convert.ToHexStringLower(mac));
    }

    [Fact]
    public void Equals_the_library_HMAC_for_any_key_and_input()
    {
        // Keys across the block boundary (64) and inputs across the joined-input limit (512) and the datagram size.
        Gen.Select(Gen.Byte.Array[0, 160], Gen.Byte.Array[0, 1600]).Sample((key, data) =>
        {
            var mac = new byte[HmacSha256.HashLength];

            HmacSha256.Compute(key, data, mac);

            Assert.Equal(HMACSHA256.HashData(key, data), mac);
        }, iter: 2000);
    }

    [Fact]
    public void A_refused_destination_leaves_the_next_computation_intact()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var data = RandomNumberGenerator.GetBytes(80);

        Assert.Throws<ArgumentOutOfRangeException>(() => HmacSha256.Compute(key, data, new byte[HmacSha256.HashLength - 1]));

        var mac = new byte[HmacSha256.HashLength + 8];
        HmacSha256.Compute(key, data, mac);
        Assert.Equal(HMACSHA256.HashData(key, data), mac[..HmacSha256.HashLength]);
        Assert.Equal(new byte[8], mac[HmacSha256.HashLength..]);
    }

    [Fact]
    public void Threads_computing_at_once_each_get_their_own_answer()
    {
        var inputs = Enumerable.Range(0, 64).Select(i => (Key: RandomNumberGenerator.GetBytes(i % 70), Data: RandomNumberGenerator.GetBytes(i * 20))).ToArray();
        var expected = inputs.Select(input => HMACSHA256.HashData(input.Key, input.Data)).ToArray();
        var mismatches = 0;

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var (key, data) = inputs[i % inputs.Length];
            Span<byte> mac = stackalloc byte[HmacSha256.HashLength];
            HmacSha256.Compute(key, data, mac);
            if (!mac.SequenceEqual(expected[i % inputs.Length]))
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Assert.Equal(0, mismatches);
    }
}
