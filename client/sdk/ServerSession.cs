using System.Net;
using System.Security.Cryptography;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Client;

/// <summary>
/// The player's conversation with the gateway: registration (address cookie, then a player id and key),
/// heartbeats that restate the soft state, and signed requests whose signed answers are checked.
/// </summary>
internal sealed class ServerSession(ClientTransport transport, MatchmakerClientOptions options, IReadOnlyList<IPEndPoint> lanEndpoints)
{
    private byte[] _key = [];

    public delegate void BodyWriter(ref StunMessageWriter writer);

    public delegate T ResponseReader<out T>(StunMessage response);

    public Guid PlayerId { get; private set; }

    public IPEndPoint? PublicEndPoint { get; private set; }

    public TimeSpan HeartbeatInterval { get; private set; } = TimeSpan.FromSeconds(15);

    public ReadOnlySpan<byte> Key => _key;

    /// <summary>The lobby heartbeats restate; null outside a lobby.</summary>
    public HeldLobby? Lobby { get; set; }

    /// <summary>What heartbeats report; starts as declared, refined by NAT discovery.</summary>
    public NatCapabilities Capabilities { get; set; } = options.Capabilities;

    /// <summary>This player's public IPv6 endpoint, restated with every heartbeat once learned.</summary>
    public IPEndPoint? Ipv6EndPoint { get; set; }

    /// <summary>The UPnP-mapped or declared open endpoint, restated with every heartbeat.</summary>
    public IPEndPoint? ListenEndPoint { get; set; }

    /// <summary>The gateway's IPv6 endpoint, when its answers name one.</summary>
    public IPEndPoint? GatewayIpv6 { get; private set; }

    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        // First contact: padded so the gateway's cookie challenge fits its 3x anti-amplification budget.
        var challenge = await transport.RequestAsync(BuildRegister(cookie: null), options.Server, options.RequestTimeout, cancellationToken);
        var cookie = Read(challenge, response =>
            response.Type.Class == StunClass.ErrorResponse && response.TryGetAttribute(StunAttributeType.Nonce, out ReadOnlySpan<byte> nonce)
                ? nonce.ToArray()
                : throw Unexpected(response, "a cookie challenge"));

        var registered = await transport.RequestAsync(BuildRegister(cookie), options.Server, options.RequestTimeout, cancellationToken);
        Read(registered, response =>
        {
            ThrowIfError(response);
            if (!response.TryGetGuid(StunAttributeType.PlayerId, out var playerId)
                || !response.TryGetAttribute(StunAttributeType.PlayerKey, out ReadOnlySpan<byte> key)
                || !response.HasValidMessageIntegritySha256(key))
            {
                throw Unexpected(response, "a signed registration");
            }

            PlayerId = playerId;
            _key = key.ToArray();
            ReadPresence(response);
            return true;
        });
    }

    public Task HeartbeatAsync(CancellationToken cancellationToken) =>
        RequestAsync(StunMethods.Heartbeat, WritePresence, response =>
        {
            ReadPresence(response);
            return true;
        }, cancellationToken);

    /// <summary>Sends a signed request, checks the signature of the answer and turns error answers into exceptions.</summary>
    public async Task<T> RequestAsync<T>(ushort method, BodyWriter body, ResponseReader<T> reader, CancellationToken cancellationToken)
    {
        var request = Build(method, (ref StunMessageWriter writer) =>
        {
            writer.AppendGuid(StunAttributeType.PlayerId, PlayerId);
            body(ref writer);
            writer.AppendMessageIntegritySha256(_key);
            writer.AppendFingerprint();
        });
        byte[] answer;
        try
        {
            answer = await transport.RequestAsync(request, options.Server, options.RequestTimeout, cancellationToken);
        }
        catch (TimeoutException timeout)
        {
            throw new MatchmakerException(ProtocolErrors.Unavailable, timeout.Message);
        }

        return Read(answer, response =>
        {
            if (!response.HasValidMessageIntegritySha256(_key))
            {
                throw Unexpected(response, "an answer signed with this player's key");
            }

            ThrowIfError(response);
            return reader(response);
        });
    }

    /// <summary>
    /// A request that needs the player registered (host, join, queue). A gateway answers an idle player's
    /// heartbeats under a lease without its grain hearing them, so a grain lost with its silo can meanwhile
    /// forget the player and answer <c>not-registered</c>; one full heartbeat registers the player again
    /// (the gateway forwards it: that answer dropped the lease), and the request is retried once.
    /// </summary>
    public async Task<T> RegisteredRequestAsync<T>(ushort method, BodyWriter body, ResponseReader<T> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await RequestAsync(method, body, reader, cancellationToken);
        }
        catch (MatchmakerException exception) when (exception.Error == ProtocolErrors.NotRegistered)
        {
            await HeartbeatAsync(cancellationToken);
            return await RequestAsync(method, body, reader, cancellationToken);
        }
    }

    public bool IsSignedByGateway(StunMessage message) => _key.Length > 0 && message.HasValidMessageIntegritySha256(_key);

    private byte[] BuildRegister(byte[]? cookie) => Build(StunMethods.Register, (ref StunMessageWriter writer) =>
    {
        if (cookie is null)
        {
            WritePresence(ref writer);
            writer.AppendPaddingTo(ProtocolLimits.RegisterPaddedLength - StunAttributeLayout.PaddedLength(FingerprintAttribute.ValueLength));
            writer.AppendFingerprint();
            return;
        }

        writer.Append(StunAttributeType.Nonce, cookie);
        WritePresence(ref writer);
        if (_key.Length > 0)
        {
            // Re-registering after a gateway restart keeps the same player id.
            writer.AppendGuid(StunAttributeType.PlayerId, PlayerId);
            writer.AppendMessageIntegritySha256(_key);
        }

        writer.AppendFingerprint();
    });

    private void WritePresence(ref StunMessageWriter writer)
    {
        foreach (var lan in lanEndpoints)
        {
            writer.AppendXorAddress(StunAttributeType.LanEndpoint, lan);
        }

        writer.AppendUInt32(StunAttributeType.NatCapabilities, Capabilities.Encode());
        if (Ipv6EndPoint is not null)
        {
            writer.AppendXorAddress(StunAttributeType.Ipv6Endpoint, Ipv6EndPoint);
        }

        if (ListenEndPoint is not null)
        {
            writer.AppendXorAddress(StunAttributeType.ListenEndpoint, ListenEndPoint);
        }

        if (Lobby is { } lobby)
        {
            writer.AppendString(StunAttributeType.LobbyCode, lobby.Code, 32);
            if (lobby.HostedName is { } name)
            {
                writer.AppendString(StunAttributeType.LobbyName, name, ProtocolLimits.MaxLobbyNameBytes);
                writer.AppendUInt32(StunAttributeType.MaxPlayers, (uint)lobby.MaxPlayers);
            }
        }
    }

    private void ReadPresence(StunMessage response)
    {
        if (response.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped))
        {
            PublicEndPoint = mapped;
        }

        if (response.TryGetXorAddress(StunAttributeType.GatewayIpv6, out var gateway6) && gateway6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            GatewayIpv6 = gateway6;
        }

        if (response.TryGetUInt32(StunAttributeType.HeartbeatInterval, out var intervalMs) && intervalMs > 0)
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(intervalMs);
        }
    }

    private static byte[] Build(ushort method, BodyWriter body)
    {
        var buffer = new byte[ProtocolLimits.MaxDatagram];
        var writer = new StunMessageWriter(buffer, new StunMessageType(method, StunClass.Request), RandomNumberGenerator.GetBytes(StunHeader.TransactionIdLength));
        body(ref writer);
        return buffer[..writer.Length];
    }

    private static T Read<T>(byte[] datagram, ResponseReader<T> reader) =>
        StunMessage.TryParse(datagram, out var message) == StunParseStatus.Ok
            ? reader(message)
            : throw new MatchmakerException(ProtocolErrors.ServerError, "The gateway sent a malformed answer.");

    private static void ThrowIfError(StunMessage response)
    {
        if (response.Type.Class != StunClass.ErrorResponse)
        {
            return;
        }

        var error = response.TryGetErrorCode(out var code, out var reason)
            ? ProtocolErrors.FromWire(code, reason)
            : ProtocolErrors.ServerError;
        throw new MatchmakerException(error, Describe(error));
    }

    private static MatchmakerException Unexpected(StunMessage response, string expected) =>
        new(ProtocolErrors.ServerError, $"Expected {expected} from the gateway, got {response.Type}.");

    private static string Describe(ProtocolError error) => error.Slug switch
    {
        "lobby-not-found" => "No open lobby has that code.",
        "lobby-full" => "That lobby is full.",
        "relay-required" => "Your NAT and a lobby member's NAT leave no direct path, and this cluster has no relay.",
        "not-registered" => "The gateway no longer knows this player.",
        "unavailable" => "The matchmaking cluster is unavailable; try again.",
        "bad-request" => "The gateway refused the request as malformed.",
        "invalid-queue-spec" => "The queue request named an invalid mode or region, or a lobby size outside 2–16.",
        "rate-limited" => "Too many requests (or wrong lobby codes) from this player or address; wait a minute and try again.",
        _ => $"The gateway answered {error}.",
    };
}
