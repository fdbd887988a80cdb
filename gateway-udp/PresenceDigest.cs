using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Matchmaker.Grains.Models;

namespace Matchmaker.Gateway;

/// <summary>
/// A 64-bit digest of everything a heartbeat restates — the route (this node's push observer and the socket
/// the heartbeat came in on), the source endpoint, NAT capabilities, LAN, IPv6 and listen endpoints, and the
/// lobby claim. While it stays the same, the gateway sends the player grain the digest alone instead of the
/// whole presence (<see cref="Grains.IPlayerGrain.RefreshAsync"/>). Built from two <see cref="HashCode"/>s,
/// which the runtime seeds at random per process, so a restarted gateway never matches what an earlier one
/// left in a grain, and nobody outside can aim a collision at one. Never 0, which means "no digest".
/// </summary>
internal static class PresenceDigest
{
    public static ulong Of(GatewayRoute route, ControlRequest request)
    {
        var digest = new Builder(0x6d6d);
        digest.Add(RuntimeHelpers.GetHashCode(route.Gateway));
        digest.Add(route.GatewayEndpoint);
        digest.Add(request.Source);
        digest.Add((int)request.Capabilities.Encode());
        digest.Add(request.LanEndpoints.Length);
        foreach (var lan in request.LanEndpoints)
        {
            digest.Add(lan);
        }

        digest.Add(request.Ipv6Endpoint);
        digest.Add(request.ListenEndpoint);
        digest.Add(request.LobbyCode);
        digest.Add(request.LobbyName);
        digest.Add(request.MaxPlayers);
        return digest.ToUInt64() is var value && value != 0 ? value : 1;
    }

    /// <summary>Feeds every value to two hashes started apart; each value is length- or presence-prefixed, so no two inputs run together.</summary>
    private struct Builder(int start)
    {
        private HashCode _low = Started(start);
        private HashCode _high = Started(~start);

        public void Add(int value)
        {
            _low.Add(value);
            _high.Add(value);
        }

        public void Add(IPEndPoint? endpoint)
        {
            if (endpoint is null)
            {
                Add(-1);
                return;
            }

            Span<byte> address = stackalloc byte[16];
            endpoint.Address.TryWriteBytes(address, out var written);
            Add((written << 16) | endpoint.Port);
            AddBytes(address[..written]);
        }

        public void Add(string? text)
        {
            Add(text?.Length ?? -1);
            AddBytes(MemoryMarshal.AsBytes(text.AsSpan()));
        }

        public ulong ToUInt64() => ((ulong)(uint)_high.ToHashCode() << 32) | (uint)_low.ToHashCode();

        private void AddBytes(ReadOnlySpan<byte> bytes)
        {
            _low.AddBytes(bytes);
            _high.AddBytes(bytes);
        }

        private static HashCode Started(int start)
        {
            var hash = new HashCode();
            hash.Add(start);
            return hash;
        }
    }
}
