using System.Collections.Immutable;
using System.Net;
using Matchmaker.Protocol.Crypto;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Protocol.Control;

/// <summary>
/// The Introduction push (method 0x807) as it travels from gateway to player. The secret is sealed:
/// XORed with HMAC-SHA256(player key, "S" ‖ transaction id), so only the addressed player can read it
/// even though the message crosses the internet in the clear.
/// </summary>
public sealed record IntroductionMessage(
    Guid IntroductionId,
    string LobbyCode,
    Guid PeerId,
    IPEndPoint PeerEndpoint,
    ImmutableArray<IPEndPoint> PeerLanEndpoints,
    NatCapabilities PeerCapabilities,
    byte[] Secret,
    ConnectMethod Method,
    TimeSpan Lifetime,
    bool PeerIsHost,
    IPEndPoint? PeerIpv6Endpoint = null,
    IPEndPoint? PeerListenEndpoint = null,
    RelayTicket? Relay = null)
{
    /// <summary>Every endpoint worth probing, most specific first, without repeats.</summary>
    public IEnumerable<IPEndPoint> Candidates =>
        new[] { PeerIpv6Endpoint, PeerListenEndpoint, PeerEndpoint }.OfType<IPEndPoint>().Concat(PeerLanEndpoints).Distinct();

    public void Write(ref StunMessageWriter writer, ReadOnlySpan<byte> playerKey)
    {
        writer.AppendGuid(StunAttributeType.IntroductionId, IntroductionId);
        writer.AppendString(StunAttributeType.LobbyCode, LobbyCode, 32);
        writer.AppendGuid(StunAttributeType.PlayerId, PeerId);
        writer.AppendXorAddress(StunAttributeType.PeerEndpoint, PeerEndpoint);
        foreach (var lan in PeerLanEndpoints.Take(ProtocolLimits.MaxLanEndpoints))
        {
            writer.AppendXorAddress(StunAttributeType.LanEndpoint, lan);
        }

        writer.AppendUInt32(StunAttributeType.NatCapabilities, PeerCapabilities.Encode());
        Seal(Secret, playerKey, writer.TransactionId, writer.Append(StunAttributeType.IntroductionSecret, ProtocolLimits.SecretLength));
        writer.AppendByte(StunAttributeType.ConnectMethod, (byte)Method);
        writer.AppendUInt32(StunAttributeType.Lifetime, (uint)Math.Max(0, Lifetime.TotalMilliseconds));
        writer.AppendByte(StunAttributeType.PeerRole, PeerIsHost ? (byte)1 : (byte)0);
        if (PeerIpv6Endpoint is not null)
        {
            writer.AppendXorAddress(StunAttributeType.Ipv6Endpoint, PeerIpv6Endpoint);
        }

        if (PeerListenEndpoint is not null)
        {
            writer.AppendXorAddress(StunAttributeType.ListenEndpoint, PeerListenEndpoint);
        }

        if (Relay is { } relay)
        {
            writer.AppendXorAddress(StunAttributeType.RelayEndpoint, relay.Endpoint);
            writer.Append(StunAttributeType.RelayToken, relay.Token);
            Seal(relay.Key, playerKey, writer.TransactionId, writer.Append(StunAttributeType.RelayKey, RelayToken.KeyLength), 'R');
        }
    }

    public static bool TryRead(StunMessage message, ReadOnlySpan<byte> playerKey, out IntroductionMessage introduction)
    {
        introduction = null!;
        if (!message.TryGetGuid(StunAttributeType.IntroductionId, out var id)
            || !message.TryGetString(StunAttributeType.LobbyCode, 32, out var code)
            || !message.TryGetGuid(StunAttributeType.PlayerId, out var peerId)
            || !message.TryGetXorAddress(StunAttributeType.PeerEndpoint, out var peerEndpoint)
            || !message.TryGetUInt32(StunAttributeType.NatCapabilities, out var capabilitiesWord)
            || !NatCapabilities.TryDecode(capabilitiesWord, out var capabilities)
            || !message.TryGetAttribute(StunAttributeType.IntroductionSecret, out ReadOnlySpan<byte> sealedSecret)
            || sealedSecret.Length != ProtocolLimits.SecretLength
            || !message.TryGetByte(StunAttributeType.ConnectMethod, out var method)
            || !Enum.IsDefined((ConnectMethod)method)
            || !message.TryGetUInt32(StunAttributeType.Lifetime, out var lifetimeMs)
            || !message.TryGetByte(StunAttributeType.PeerRole, out var role))
        {
            return false;
        }

        var lan = ImmutableArray.CreateBuilder<IPEndPoint>();
        foreach (var attribute in message.Attributes)
        {
            if (attribute.Type == StunAttributeType.LanEndpoint
                && lan.Count < ProtocolLimits.MaxLanEndpoints
                && XorAddressAttribute.TryReadXorAddress(attribute.Value, message.TransactionId, out var endpoint))
            {
                lan.Add(endpoint);
            }
        }

        // Optional: absent when the peer has no IPv6 path or no open/mapped port. A present but malformed
        // one makes the whole message invalid, as any other malformed attribute does.
        if (!TryReadOptionalEndpoint(message, StunAttributeType.Ipv6Endpoint, out var ipv6)
            || !TryReadOptionalEndpoint(message, StunAttributeType.ListenEndpoint, out var listen))
        {
            return false;
        }

        RelayTicket? relay = null;
        if ((ConnectMethod)method == ConnectMethod.Relay)
        {
            if (!message.TryGetXorAddress(StunAttributeType.RelayEndpoint, out var relayEndpoint)
                || !message.TryGetAttribute(StunAttributeType.RelayToken, out ReadOnlySpan<byte> token)
                || token.Length != RelayToken.Length
                || !message.TryGetAttribute(StunAttributeType.RelayKey, out ReadOnlySpan<byte> sealedKey)
                || sealedKey.Length != RelayToken.KeyLength)
            {
                return false;
            }

            var key = new byte[RelayToken.KeyLength];
            Seal(sealedKey, playerKey, message.TransactionId, key, 'R');
            relay = new RelayTicket(relayEndpoint, token.ToArray(), key);
        }

        var secret = new byte[ProtocolLimits.SecretLength];
        Seal(sealedSecret, playerKey, message.TransactionId, secret);
        introduction = new IntroductionMessage(
            id, code, peerId, peerEndpoint, lan.ToImmutable(), capabilities, secret, (ConnectMethod)method,
            TimeSpan.FromMilliseconds(lifetimeMs), role == 1, ipv6, listen, relay);
        return true;
    }

    private static bool TryReadOptionalEndpoint(StunMessage message, ushort type, out IPEndPoint? endpoint)
    {
        endpoint = null;
        if (!message.HasAttribute(type))
        {
            return true;
        }

        if (!message.TryGetXorAddress(type, out var read))
        {
            return false;
        }

        endpoint = read;
        return true;
    }

    /// <summary>XOR with a keyed pad: the same routine seals and unseals. The label keeps the secret's and the relay key's pads apart.</summary>
    private static void Seal(ReadOnlySpan<byte> source, ReadOnlySpan<byte> playerKey, ReadOnlySpan<byte> transactionId, Span<byte> destination, char label = 'S')
    {
        Span<byte> input = stackalloc byte[1 + StunHeader.TransactionIdLength];
        input[0] = (byte)label;
        transactionId.CopyTo(input[1..]);
        Span<byte> pad = stackalloc byte[HmacSha256.HashLength];
        HmacSha256.Compute(playerKey, input, pad);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)(source[i] ^ pad[i]);
        }
    }
}
