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
    string? LobbyCode)
{
    private static readonly ControlRequestBody Empty = new([], NatCapabilities.Unknown, null, 0, null);

    /// <summary>Never throws; false means the request is malformed for its method and gets <c>bad-request</c>.</summary>
    public static bool TryDecode(StunMessage request, out ControlRequestBody body)
    {
        body = Empty;
        switch (request.Type.Method)
        {
            case StunMethods.Register or StunMethods.Heartbeat:
                if (!TryDecodePresence(request, out var lan, out var capabilities))
                {
                    return false;
                }

                body = Empty with { LanEndpoints = lan, Capabilities = capabilities };
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
            default:
                return true;
        }
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
