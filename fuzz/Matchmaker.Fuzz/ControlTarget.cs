using System.Net;
using Matchmaker.Gateway;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Fuzz;

/// <summary>
/// Control messages, both directions: the gateway's admission checks (address cookie, player id,
/// MESSAGE-INTEGRITY-SHA256) and its request decoder, and the client's readers of what the gateway
/// sends (introductions with a sealed secret, lobby entries, errors, lobby-closed pushes). The input
/// runs once as sent and once resealed under the sender's real key, so the decoders behind the
/// integrity check see mutated content too.
/// </summary>
internal sealed class ControlTarget : IFuzzTarget
{
    private const uint Now = 1_800_000_000;

    private static readonly GatewayKeys Keys = new(Enumerable.Repeat((byte)0x42, 32).ToArray());
    private static readonly SocketAddress Source = IPEndPoint.Parse("203.0.113.9:50000").Serialize();
    private readonly byte[] _resealed = new byte[ProtocolLimits.MaxDatagram + 64];

    public string Name => "control";

    public IEnumerable<(string Name, byte[] Datagram)> Seeds()
    {
        var player = new Guid("3b41a9d2-5f0e-4c1a-9e8f-0123456789ab");
        var cookie = new byte[GatewayKeys.CookieLength];
        Keys.WriteCookie(Source, Now, cookie);
        var tid = new byte[StunHeader.TransactionIdLength];
        tid[11] = 1;
        yield return ("register-first", SeedWriter.Build(StunMethods.Register, StunClass.Request, tid, (ref StunMessageWriter w) => w.AppendPaddingTo(ProtocolLimits.RegisterPaddedLength)));
        yield return ("register-cookie", Signed(StunMethods.Register, StunClass.Request, tid, player, (ref StunMessageWriter w) =>
        {
            w.Append(StunAttributeType.Nonce, cookie);
            w.AppendGuid(StunAttributeType.PlayerId, player);
            w.AppendXorAddress(StunAttributeType.LanEndpoint, SeedWriter.V4);
            w.AppendUInt32(StunAttributeType.NatCapabilities, new NatCapabilities(NatMapping.EndpointIndependent, NatFiltering.AddressDependent, false, true, false).Encode());
        }));
        yield return ("heartbeat", Signed(StunMethods.Heartbeat, StunClass.Request, tid, player, (ref StunMessageWriter w) =>
        {
            w.AppendGuid(StunAttributeType.PlayerId, player);
            w.AppendXorAddress(StunAttributeType.LanEndpoint, SeedWriter.V4);
            w.AppendXorAddress(StunAttributeType.LanEndpoint, SeedWriter.V6);
            w.AppendUInt32(StunAttributeType.NatCapabilities, NatCapabilities.Unknown.Encode());
        }));
        yield return ("host", Signed(StunMethods.Host, StunClass.Request, tid, player, (ref StunMessageWriter w) =>
        {
            w.AppendGuid(StunAttributeType.PlayerId, player);
            w.AppendString(StunAttributeType.LobbyName, "friday night", ProtocolLimits.MaxLobbyNameBytes);
            w.AppendUInt32(StunAttributeType.MaxPlayers, 8);
        }));
        yield return ("join", Signed(StunMethods.Join, StunClass.Request, tid, player, (ref StunMessageWriter w) =>
        {
            w.AppendGuid(StunAttributeType.PlayerId, player);
            w.AppendString(StunAttributeType.LobbyCode, "7KQ3-MZD", 32);
        }));
        yield return ("leave", Signed(StunMethods.Leave, StunClass.Request, tid, player, (ref StunMessageWriter w) => w.AppendGuid(StunAttributeType.PlayerId, player)));
        yield return ("list-reply", Signed(StunMethods.List, StunClass.SuccessResponse, tid, player, (ref StunMessageWriter w) =>
        {
            w.AppendGuid(StunAttributeType.PlayerId, player);
            LobbyEntryAttribute.Append(ref w, "7KQ3MZD", "friday night", 3, 8);
            LobbyEntryAttribute.Append(ref w, "FG26YM6", "demo", 1, 2);
        }));
        yield return ("error-reply", Signed(StunMethods.Join, StunClass.ErrorResponse, tid, player, (ref StunMessageWriter w) =>
        {
            w.AppendGuid(StunAttributeType.PlayerId, player);
            w.AppendErrorCode(ProtocolErrors.RateLimited.Code, ProtocolErrors.RateLimited.Slug);
        }));
        yield return ("introduction", Signed(StunMethods.Introduction, StunClass.Request, tid, player, (ref StunMessageWriter w) =>
        {
            w.AppendGuid(StunAttributeType.PlayerId, player);
            var key = new byte[GatewayKeys.PlayerKeyLength];
            Keys.DerivePlayerKey(player, key);
            new IntroductionMessage(
                Guid.Empty, "7KQ3MZD", player, SeedWriter.V4, [SeedWriter.V4], NatCapabilities.Unknown, new byte[ProtocolLimits.SecretLength],
                ConnectMethod.Direct, TimeSpan.FromMinutes(1), PeerIsHost: true).Write(ref w, key);
        }));
        yield return ("lobby-closed", Signed(StunMethods.LobbyClosed, StunClass.Request, tid, player, (ref StunMessageWriter w) =>
        {
            w.AppendGuid(StunAttributeType.PlayerId, player);
            w.AppendString(StunAttributeType.LobbyCode, "7KQ3MZD", 32);
            w.AppendString(StunAttributeType.Reason, "host-left", 64);
        }));
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (StunMessage.TryParse(input, out var message) == StunParseStatus.Ok)
        {
            Admit(message);
            Decode(message, []);
        }

        var length = Resealer.Reseal(input, _resealed, PlayerKey);
        if (length == 0)
        {
            return;
        }

        if (StunMessage.TryParse(_resealed.AsSpan(0, length), out var resealed) != StunParseStatus.Ok || !resealed.FingerprintIsValidOrAbsent())
        {
            throw new InvalidOperationException("A message the writer built does not parse.");
        }

        Span<byte> key = stackalloc byte[GatewayKeys.PlayerKeyLength];
        PlayerKey(resealed, key);
        if (!resealed.HasValidMessageIntegritySha256(key))
        {
            throw new InvalidOperationException("A message signed with the player's key does not verify.");
        }

        Admit(resealed);
        Decode(resealed, key);
    }

    private static byte[] Signed(ushort method, StunClass cls, byte[] tid, Guid player, SeedWriter.Body body) =>
        SeedWriter.Build(method, cls, tid, (ref StunMessageWriter w) =>
        {
            body(ref w);
            Span<byte> key = stackalloc byte[GatewayKeys.PlayerKeyLength];
            Keys.DerivePlayerKey(player, key);
            w.AppendMessageIntegritySha256(key);
            w.AppendFingerprint();
        });

    /// <summary>The key the gateway would check: the one derived from the id the message claims.</summary>
    private static bool PlayerKey(StunMessage message, Span<byte> key)
    {
        Keys.DerivePlayerKey(message.TryGetGuid(StunAttributeType.PlayerId, out var player) ? player : Guid.Empty, key);
        return true;
    }

    /// <summary>ControlGate's checks, in its order.</summary>
    private static void Admit(StunMessage message)
    {
        if (message.TryGetAttribute(StunAttributeType.Nonce, out ReadOnlySpan<byte> cookie)
            && Keys.CookieIsValid(cookie, Source, Now, 60))
        {
            _ = Keys.DeriveNewPlayerId(cookie, message.TransactionId);
        }

        Span<byte> key = stackalloc byte[GatewayKeys.PlayerKeyLength];
        if (message.TryGetGuid(StunAttributeType.PlayerId, out var player))
        {
            Keys.DerivePlayerKey(player, key);
            _ = message.HasValidMessageIntegritySha256(key);
        }

        _ = PacketTypes.ForMethod(message.Type.Method);
        _ = StunMethods.IsControl(message.Type.Method) || StunMethods.IsPeer(message.Type.Method);
    }

    /// <summary>A documentation-range source: listen endpoints on its address are kept, others dropped, as for a real one.</summary>
    private static readonly System.Net.IPEndPoint FuzzSource = new(System.Net.IPAddress.Parse("203.0.113.7"), 40000);

    /// <summary>Everything that reads a control message's content, gateway side and client side.</summary>
    private static void Decode(StunMessage message, ReadOnlySpan<byte> key)
    {
        if (ControlRequestBody.TryDecode(message, FuzzSource, out var body) && body.LobbyCode is { } code)
        {
            _ = LobbyCode.TryNormalize(code, out _);
        }

        _ = IntroductionMessage.TryRead(message, key, out _);
        if (message.TryGetErrorCode(out var errorCode, out var reason))
        {
            _ = ProtocolErrors.FromWire(errorCode, reason);
        }

        _ = message.TryGetString(StunAttributeType.LobbyCode, 32, out _);
        _ = message.TryGetString(StunAttributeType.Reason, 64, out _);
        _ = message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out _);
        _ = message.TryGetUInt32(StunAttributeType.HeartbeatInterval, out _);
        foreach (var attribute in message.Attributes)
        {
            if (attribute.Type == StunAttributeType.LobbyEntry)
            {
                _ = LobbyEntryAttribute.TryRead(attribute.Value, out _);
            }
        }
    }
}
