using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Bench.Relay;

/// <summary>
/// Just enough of a TURN client (RFC 8656) to drive coturn with the same generator as the Matchmaker
/// relay: Allocate under long-term credentials (the 401 round gives realm and nonce, RFC 8489 §9.2),
/// then ChannelBind to the echo socket, after which the flow is ChannelData (§12) — what
/// <c>turnutils_uclient -c</c> sends. Bench only; allocations are left to expire with the server.
/// </summary>
internal sealed class TurnAllocator(IPEndPoint server, string user, string password)
{
    private const ushort Allocate = 0x003;
    private const ushort ChannelBind = 0x009;
    private const ushort ChannelNumber = 0x000C;
    private const ushort XorPeerAddress = 0x0012;
    private const ushort RequestedTransport = 0x0019;
    private const ushort FirstChannel = 0x4000;
    private const byte Udp = 17;

    public RelayLoadSession Open(Socket client, IPEndPoint peer, int payloadLength)
    {
        // The first Allocate is refused with 401 and tells the realm and nonce the credential needs.
        var challenge = Ask(client, Allocate, null, (ref StunMessageWriter writer) => writer.Append(RequestedTransport, [Udp, 0, 0, 0]));
        if (StunMessage.TryParse(challenge, out var refusal) != StunParseStatus.Ok
            || !refusal.TryGetAttribute(StunAttributeType.Realm, out ReadOnlySpan<byte> realm)
            || !refusal.TryGetAttribute(StunAttributeType.Nonce, out ReadOnlySpan<byte> nonce))
        {
            throw new InvalidOperationException("The TURN server did not challenge the Allocate.");
        }

        var credentials = new Credentials(Encoding.UTF8.GetBytes(user), realm.ToArray(), nonce.ToArray(), Key(realm));
        Expect(Ask(client, Allocate, credentials, (ref StunMessageWriter writer) => writer.Append(RequestedTransport, [Udp, 0, 0, 0])), "Allocate");
        Expect(Ask(client, ChannelBind, credentials, (ref StunMessageWriter writer) =>
        {
            writer.Append(ChannelNumber, [(byte)(FirstChannel >> 8), (byte)(FirstChannel & 0xFF), 0, 0]);
            writer.AppendXorAddress(XorPeerAddress, peer);
        }), "ChannelBind");

        var header = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(header, FirstChannel);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)payloadLength);
        return new RelayLoadSession(client, header);
    }

    private byte[] Ask(Socket client, ushort method, Credentials? credentials, StunBody body)
    {
        var request = new byte[512];
        var transactionId = RandomNumberGenerator.GetBytes(StunHeader.TransactionIdLength);
        var writer = new StunMessageWriter(request, new StunMessageType(method, StunClass.Request), transactionId);
        body(ref writer);
        if (credentials is { } c)
        {
            writer.Append(StunAttributeType.Username, c.User);
            writer.Append(StunAttributeType.Realm, c.Realm);
            writer.Append(StunAttributeType.Nonce, c.Nonce);
            writer.AppendMessageIntegrity(c.Key);
        }

        return UdpExchange.Ask(client, server, request.AsSpan(0, writer.Length));
    }

    private static void Expect(byte[] answer, string what)
    {
        if (StunMessage.TryParse(answer, out var message) != StunParseStatus.Ok || message.Type.Class != StunClass.SuccessResponse)
        {
            var detail = message.Buffer.IsEmpty || !message.TryGetErrorCode(out var code, out var reason) ? "no answer" : $"{code} {reason}";
            throw new InvalidOperationException($"TURN {what} failed: {detail}.");
        }
    }

    /// <summary>The long-term credential key: MD5(username ":" realm ":" password), RFC 8489 §9.2.2.</summary>
    private byte[] Key(ReadOnlySpan<byte> realm)
    {
        var input = Encoding.UTF8.GetBytes($"{user}:{Encoding.UTF8.GetString(realm)}:{password}");
#pragma warning disable CA5351 // The TURN credential scheme prescribes MD5; this is a benchmark client for coturn.
        return MD5.HashData(input);
#pragma warning restore CA5351
    }

    private delegate void StunBody(ref StunMessageWriter writer);

    private sealed record Credentials(byte[] User, byte[] Realm, byte[] Nonce, byte[] Key);
}
