using System.Net;
using Matchmaker.Gateway;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// The stateless address cookie (RFC 8489 §9.2-style nonce, QUIC Retry-style token): it proves return
/// routability for the address it was issued to, and only for its lifetime.
/// </summary>
public sealed class AddressCookieTests
{
    private const uint Issued = 1_800_000_000;
    private const uint Lifetime = 60;

    private readonly GatewayKeys _keys = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private readonly SocketAddress _source = IPEndPoint.Parse("203.0.113.7:40000").Serialize();

    [Fact]
    public void A_cookie_is_valid_for_its_address_until_its_lifetime_ends()
    {
        var cookie = Issue();

        Assert.True(_keys.CookieIsValid(cookie, _source, Issued, Lifetime));
        Assert.True(_keys.CookieIsValid(cookie, _source, Issued + Lifetime, Lifetime));
        Assert.False(_keys.CookieIsValid(cookie, _source, Issued + Lifetime + 1, Lifetime));
    }

    [Fact]
    public void A_cookie_from_the_future_is_refused_beyond_clock_skew()
    {
        Assert.True(_keys.CookieIsValid(Issue(), _source, Issued - 5, Lifetime));
        Assert.False(_keys.CookieIsValid(Issue(), _source, Issued - 6, Lifetime));
    }

    [Theory]
    [InlineData("203.0.113.7:40001")]
    [InlineData("203.0.113.8:40000")]
    public void A_cookie_proves_nothing_for_another_address_or_port(string other)
    {
        Assert.False(_keys.CookieIsValid(Issue(), IPEndPoint.Parse(other).Serialize(), Issued, Lifetime));
    }

    [Fact]
    public void A_cookie_with_a_changed_byte_or_length_is_refused()
    {
        var cookie = Issue();
        for (var i = 0; i < cookie.Length; i++)
        {
            var tampered = cookie.ToArray();
            tampered[i] ^= 0x01;
            Assert.False(_keys.CookieIsValid(tampered, _source, Issued, Lifetime));
        }

        Assert.False(_keys.CookieIsValid(cookie.AsSpan(0, cookie.Length - 1), _source, Issued, Lifetime));
        Assert.False(new GatewayKeys(new byte[32]).CookieIsValid(cookie, _source, Issued, Lifetime));
    }

    private byte[] Issue()
    {
        var cookie = new byte[GatewayKeys.CookieLength];
        _keys.WriteCookie(_source, Issued, cookie);
        return cookie;
    }
}
