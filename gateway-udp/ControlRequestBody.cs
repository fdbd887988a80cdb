using System.Collections.Immutable;
using System.Net;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Gateway;

/// <summary>
/// The method-specific fields of a control request, decoded from the datagram once integrity is proven.
/// Kept apart from admission so the decoder can be fuzzed without sockets or keys in the way.
/// </summary>
internal sealed record ControlRequestBody(
    ImmutableArray<IPEndPoint> LanEndpoints,
    NatCapabilities Capabilities,
    string? LobbyName,
    int MaxPlayers,
    string? LobbyCode,
    IPEndPoint? Ipv6Endpoint = null,
    IPEndPoint? ListenEndpoint = null,
    PunchReportMessage? PunchReport = null,
    string? QueueMode = null,
    int QueueSize = 0,
    string? QueueRegion = null)
{
    /// <summary>Longest queue mode or region read off the wire; valid ones are far shorter (<see cref="QueueNames.MaxLength"/>).</summary>
    private const int MaxQueueNameOnWire = 255;

    private static readonly ControlRequestBody Empty = new([], NatCapabilities.Unknown, null, 0, null);

    /// <summary>
    /// Never throws; false means the request is malformed for its method and gets <c>bad-request</c>.
    /// <paramref name="source"/> is where the request came from: a listen endpoint must sit on its address.
    /// </summary>
    public static bool TryDecode(StunMessage request, IPEndPoint source, out ControlRequestBody body)
    {
        body = Empty;
        switch (request.Type.Method)
        {
            case StunMethods.Register or StunMethods.Heartbeat:
                if (!TryDecodePresence(request, out var lan, out var capabilities)
                    || !TryDecodeReachability(request, source, out var ipv6, out var listen)
                    || !TryDecodeClaim(request, out var code, out var name, out var maxPlayers))
                {
                    return false;
                }

                body = new ControlRequestBody(lan, capabilities, name, maxPlayers, code, ipv6, listen);
                return true;
            case StunMethods.Host:
                if (!request.TryGetString(StunAttributeType.LobbyName, ProtocolLimits.MaxLobbyNameBytes, out var lobbyName)
                    || !request.TryGetUInt32(StunAttributeType.MaxPlayers, out var max))
                {
                    return false;
                }

                body = Empty with { LobbyName = lobbyName, MaxPlayers = (int)Math.Min(max, int.MaxValue) };
                return true;
            case StunMethods.Join:
                if (!request.TryGetString(StunAttributeType.LobbyCode, 32, out var joinCode))
                {
                    return false;
                }

                body = Empty with { LobbyCode = joinCode };
                return true;
            case StunMethods.PunchReport:
                // Out-of-range values would become metric tags: refuse the report rather than count it.
                if (!PunchReportMessage.TryRead(request, out var report))
                {
                    return false;
                }

                body = Empty with { PunchReport = report };
                return true;
            case StunMethods.Queue:
                return TryDecodeQueue(request, out body);
            default:
                return true;
        }
    }

    /// <summary>
    /// The optional IPv6 and listen endpoints. An IPv6 endpoint must be a global IPv6 address. A listen
    /// endpoint (UPnP mapping, open port) must sit on the very address this request came from: peers are
    /// told to send to it, and nobody may point them at a third party. One on another address (the
    /// player's IGD sits behind a second NAT, or the public address changed) is dropped, not stored,
    /// and the rest of the presence still counts.
    /// </summary>
    private static bool TryDecodeReachability(StunMessage request, IPEndPoint source, out IPEndPoint? ipv6, out IPEndPoint? listen)
    {
        ipv6 = null;
        listen = null;
        if (request.HasAttribute(StunAttributeType.Ipv6Endpoint))
        {
            if (!request.TryGetXorAddress(StunAttributeType.Ipv6Endpoint, out var v6)
                || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6
                || v6.Address.IsIPv4MappedToIPv6 || v6.Address.IsIPv6LinkLocal || v6.Port == 0)
            {
                return false;
            }

            ipv6 = v6;
        }

        if (request.HasAttribute(StunAttributeType.ListenEndpoint))
        {
            if (!request.TryGetXorAddress(StunAttributeType.ListenEndpoint, out var open) || open.Port == 0)
            {
                return false;
            }

            listen = open.Address.Equals(source.Address) ? open : null;
        }

        return true;
    }

    /// <summary>
    /// Mode and size are required; a region is optional (absent: any region). Names are read up to
    /// <see cref="MaxQueueNameOnWire"/> bytes so an over-long one is answered <c>invalid-queue-spec</c> by the
    /// gate's check of the values (<see cref="QueueRequests"/>), not <c>bad-request</c>.
    /// </summary>
    private static bool TryDecodeQueue(StunMessage request, out ControlRequestBody body)
    {
        body = Empty;
        if (!request.TryGetString(StunAttributeType.QueueMode, MaxQueueNameOnWire, out var mode)
            || !request.TryGetUInt32(StunAttributeType.QueueSize, out var size))
        {
            return false;
        }

        string? region = null;
        if (request.HasAttribute(StunAttributeType.QueueRegion))
        {
            if (!request.TryGetString(StunAttributeType.QueueRegion, MaxQueueNameOnWire, out var named))
            {
                return false;
            }

            region = named;
        }

        body = Empty with { QueueMode = mode, QueueSize = (int)Math.Min(size, int.MaxValue), QueueRegion = region };
        return true;
    }

    /// <summary>
    /// The lobby a heartbeat restates: LOBBY-CODE alone for a member, with LOBBY-NAME and MAX-PLAYERS for its
    /// host. Absent is fine; present but malformed makes the whole request malformed.
    /// </summary>
    private static bool TryDecodeClaim(StunMessage request, out string? code, out string? name, out int maxPlayers)
    {
        code = null;
        name = null;
        maxPlayers = 0;
        if (!request.HasAttribute(StunAttributeType.LobbyCode))
        {
            return true;
        }

        if (!request.TryGetString(StunAttributeType.LobbyCode, 32, out var claimed) || !Protocol.Control.LobbyCode.TryNormalize(claimed, out var normalized))
        {
            return false;
        }

        code = normalized;
        if (!request.HasAttribute(StunAttributeType.LobbyName))
        {
            return true;
        }

        if (!request.TryGetString(StunAttributeType.LobbyName, ProtocolLimits.MaxLobbyNameBytes, out var hostedName) || !request.TryGetUInt32(StunAttributeType.MaxPlayers, out var max))
        {
            return false;
        }

        name = hostedName;
        maxPlayers = (int)Math.Min(max, int.MaxValue);
        return true;
    }

    private static bool TryDecodePresence(StunMessage request, out ImmutableArray<IPEndPoint> lan, out NatCapabilities capabilities)
    {
        lan = [];
        capabilities = NatCapabilities.Unknown;
        if (request.TryGetUInt32(StunAttributeType.NatCapabilities, out var encoded) && !NatCapabilities.TryDecode(encoded, out capabilities))
        {
            return false;
        }

        var builder = ImmutableArray.CreateBuilder<IPEndPoint>();
        foreach (var attribute in request.Attributes)
        {
            if (attribute.Type != StunAttributeType.LanEndpoint)
            {
                continue;
            }

            if (builder.Count == ProtocolLimits.MaxLanEndpoints || !XorAddressAttribute.TryReadXorAddress(attribute.Value, request.TransactionId, out var endpoint))
            {
                return false;
            }

            builder.Add(endpoint);
        }

        lan = builder.ToImmutable();
        return true;
    }
}
