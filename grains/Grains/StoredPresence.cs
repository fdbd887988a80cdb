using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains;

/// <summary>
/// A player's presence as its grain keeps it between heartbeats. Orleans spends about 1.9 KiB on an idle
/// activation before any state of ours, and the whole budget is 2 KiB, so the common presence — an IPv4
/// public endpoint and at most one IPv4 LAN endpoint, nothing else — is packed, NAT capabilities included,
/// into two integers instead of kept as <see cref="IPEndPoint"/> and <see cref="IPAddress"/> objects (about
/// 70 bytes a pair), and the gateway route is the instance every player of that gateway socket shares. Any
/// other presence keeps the heartbeat's own objects. Immutable, so a heartbeat that restates it unchanged
/// keeps this instance.
/// </summary>
internal abstract class StoredPresence
{
    private StoredPresence(GatewayRoute route, ulong digest)
    {
        Route = route;
        Digest = digest;
    }

    public GatewayRoute Route { get; }

    /// <summary>The gateway's digest of the heartbeat this came from (0: none); see <see cref="PlayerPresence.Digest"/>.</summary>
    public ulong Digest { get; }

    public abstract IPEndPoint PublicEndpoint { get; }

    public abstract ImmutableArray<IPEndPoint> LanEndpoints { get; }

    public abstract NatCapabilities Capabilities { get; }

    public abstract IPEndPoint? Ipv6Endpoint { get; }

    public abstract IPEndPoint? ListenEndpoint { get; }

    /// <summary>Whether the presence is held packed (the idle player's compact form).</summary>
    public bool IsPacked => this is Packed;

    /// <summary>
    /// The presence to keep after a heartbeat: <paramref name="current"/> itself when the heartbeat restated
    /// it unchanged (nothing allocated, nothing new for the collector to promote), else a new one.
    /// <paramref name="routes"/> supplies the shared instance of a route this grain has not held yet.
    /// </summary>
    public static StoredPresence Refresh(StoredPresence? current, PlayerPresence presence, GatewayRouteCache routes)
    {
        var route = current is not null && current.Route.Equals(presence.Route) ? current.Route : routes.Share(presence.Route);
        if (current is not null && ReferenceEquals(current.Route, route) && current.Digest == presence.Digest && current.Holds(presence))
        {
            return current;
        }

        return (StoredPresence?)Packed.TryCreate(presence, route) ?? new Unpacked(presence with { Route = route, Lobby = null });
    }

    /// <summary>Whether this holds exactly the endpoints and capabilities of <paramref name="presence"/>.</summary>
    private protected abstract bool Holds(PlayerPresence presence);

    /// <summary>
    /// Two words: the public endpoint (IPv4 address and port in the low 48 bits) with the NAT mapping and
    /// filtering above them, and the LAN endpoint (same layout, bit 48 marking it present) with the
    /// capability flags above that.
    /// </summary>
    private sealed class Packed : StoredPresence
    {
        private const ulong EndpointMask = (1UL << 48) - 1;
        private const ulong LanPresent = 1UL << 48;
        private const int FlagsShift = 49;

        private readonly ulong _public;
        private readonly ulong _lan;

        private Packed(ulong publicWord, ulong lanWord, GatewayRoute route, ulong digest)
            : base(route, digest)
        {
            _public = publicWord;
            _lan = lanWord;
        }

        public override IPEndPoint PublicEndpoint => Unpack(_public);

        public override ImmutableArray<IPEndPoint> LanEndpoints =>
            (_lan & LanPresent) == 0 ? ImmutableArray<IPEndPoint>.Empty : [Unpack(_lan)];

        public override NatCapabilities Capabilities =>
            NatCapabilities.TryDecode((uint)(_public >> 48) | ((uint)(_lan >> FlagsShift) << 16), out var capabilities) ? capabilities : NatCapabilities.Unknown;

        public override IPEndPoint? Ipv6Endpoint => null;

        public override IPEndPoint? ListenEndpoint => null;

        public static Packed? TryCreate(PlayerPresence presence, GatewayRoute route) =>
            TryWords(presence, out var publicWord, out var lanWord) ? new Packed(publicWord, lanWord, route, presence.Digest) : null;

        private protected override bool Holds(PlayerPresence presence) =>
            TryWords(presence, out var publicWord, out var lanWord) && publicWord == _public && lanWord == _lan;

        private static bool TryWords(PlayerPresence presence, out ulong publicWord, out ulong lanWord)
        {
            publicWord = 0;
            lanWord = 0;
            var capabilities = presence.Capabilities.Encode();
            if (presence.Ipv6Endpoint is not null || presence.ListenEndpoint is not null
                || !NatCapabilities.TryDecode(capabilities, out var decoded) || decoded != presence.Capabilities
                || !TryPack(presence.PublicEndpoint, out var publicEndpoint))
            {
                return false;
            }

            var lan = 0UL;
            if (!presence.LanEndpoints.IsDefaultOrEmpty && (presence.LanEndpoints.Length > 1 || !TryPack(presence.LanEndpoints[0], out lan)))
            {
                return false;
            }

            publicWord = publicEndpoint | ((ulong)(capabilities & 0xFFFF) << 48);
            lanWord = (presence.LanEndpoints.IsDefaultOrEmpty ? 0 : lan | LanPresent) | ((ulong)(capabilities >> 16) << FlagsShift);
            return true;
        }

        private static bool TryPack(IPEndPoint endpoint, out ulong packed)
        {
            packed = 0;
            Span<byte> address = stackalloc byte[4];
            if (endpoint.AddressFamily != AddressFamily.InterNetwork || !endpoint.Address.TryWriteBytes(address, out _))
            {
                return false;
            }

            packed = ((ulong)BinaryPrimitives.ReadUInt32BigEndian(address) << 16) | (uint)endpoint.Port;
            return true;
        }

        private static IPEndPoint Unpack(ulong word)
        {
            Span<byte> address = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(address, (uint)((word & EndpointMask) >> 16));
            return new IPEndPoint(new IPAddress(address), (ushort)word);
        }
    }

    /// <summary>Any presence <see cref="Packed"/> cannot hold, kept as the heartbeat carried it (claim dropped, route shared).</summary>
    private sealed class Unpacked(PlayerPresence presence) : StoredPresence(presence.Route, presence.Digest)
    {
        public override IPEndPoint PublicEndpoint => presence.PublicEndpoint;

        public override ImmutableArray<IPEndPoint> LanEndpoints => presence.LanEndpoints;

        public override NatCapabilities Capabilities => presence.Capabilities;

        public override IPEndPoint? Ipv6Endpoint => presence.Ipv6Endpoint;

        public override IPEndPoint? ListenEndpoint => presence.ListenEndpoint;

        private protected override bool Holds(PlayerPresence other) =>
            presence.PublicEndpoint.Equals(other.PublicEndpoint)
            && Equals(presence.Ipv6Endpoint, other.Ipv6Endpoint)
            && Equals(presence.ListenEndpoint, other.ListenEndpoint)
            && presence.Capabilities == other.Capabilities
            && presence.LanEndpoints.AsSpan().SequenceEqual(other.LanEndpoints.AsSpan());
    }
}
