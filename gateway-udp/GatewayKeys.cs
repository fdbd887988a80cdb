using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Matchmaker.Protocol.Crypto;
using Matchmaker.Protocol.Stun;

namespace Matchmaker.Gateway;

/// <summary>
/// Keys derived from the gateway secret. Per-player keys are HMAC(secret, player id), so any gateway of
/// the cluster can check a player's MESSAGE-INTEGRITY-SHA256 without a lookup: the gateway stays stateless.
/// </summary>
internal sealed class GatewayKeys
{
    public const int PlayerKeyLength = 32;
    public const int CookieLength = 4 + CookieMacLength;
    private const int CookieMacLength = 16;

    private readonly byte[] _secret;

    public GatewayKeys(byte[] secret)
    {
        _secret = secret;
    }

    public static GatewayKeys FromOptions(GatewayOptions options) =>
        new(options.Secret is { } configured ? Convert.FromBase64String(configured) : RandomNumberGenerator.GetBytes(32));

    public void DerivePlayerKey(Guid playerId, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[1 + 16];
        input[0] = (byte)'P';
        playerId.TryWriteBytes(input[1..], bigEndian: true, out _);
        HmacSha256.Compute(_secret, input, destination[..PlayerKeyLength]);
    }

    /// <summary>
    /// A new player's id: unguessable without the secret, yet the same for every retransmission of one
    /// Register (same cookie, same transaction id), so retransmissions never create a second player.
    /// </summary>
    public Guid DeriveNewPlayerId(ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> transactionId)
    {
        Span<byte> input = stackalloc byte[1 + CookieLength + StunHeader.TransactionIdLength];
        input[0] = (byte)'I';
        cookie.CopyTo(input[1..]);
        transactionId.CopyTo(input[(1 + CookieLength)..]);
        Span<byte> mac = stackalloc byte[HmacSha256.HashLength];
        HmacSha256.Compute(_secret, input, mac);
        return new Guid(mac[..16]);
    }

    /// <summary>
    /// A stateless proof of return routability (in the spirit of QUIC's Retry token, RFC 9000 §8.1.2):
    /// issue time plus a MAC over it and the source address. Nothing is stored per source.
    /// </summary>
    public void WriteCookie(SocketAddress source, uint issuedAtSeconds, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, issuedAtSeconds);
        CookieMac(source, issuedAtSeconds, destination.Slice(4, CookieMacLength));
    }

    public bool CookieIsValid(ReadOnlySpan<byte> cookie, SocketAddress source, uint nowSeconds, uint lifetimeSeconds)
    {
        if (cookie.Length != CookieLength)
        {
            return false;
        }

        var issuedAt = BinaryPrimitives.ReadUInt32BigEndian(cookie);
        var age = (long)nowSeconds - issuedAt;
        if (age > lifetimeSeconds || age < -5)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[CookieMacLength];
        CookieMac(source, issuedAt, expected);
        return CryptographicOperations.FixedTimeEquals(expected, cookie[4..]);
    }

    private void CookieMac(SocketAddress source, uint issuedAt, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[1 + 4 + 16 + 2];
        input[0] = (byte)'C';
        BinaryPrimitives.WriteUInt32BigEndian(input[1..], issuedAt);
        var address = SocketAddressParts.GetAddressBytes(source);
        address.CopyTo(input[5..]);
        BinaryPrimitives.WriteUInt16BigEndian(input[(5 + address.Length)..], SocketAddressParts.GetPort(source));
        Span<byte> mac = stackalloc byte[HmacSha256.HashLength];
        HmacSha256.Compute(_secret, input[..(7 + address.Length)], mac);
        mac[..CookieMacLength].CopyTo(destination);
    }
}
