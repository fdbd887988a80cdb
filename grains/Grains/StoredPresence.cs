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
/// public endpoint and at most one IPv4 LAN endpoint, nothing else — is packed into integers instead of
/// kept as <see cref="IPEndPoint"/> and <see cref="IPAddress"/> objects (about 70 bytes a pair), and the
/// gateway route is the instance every player of that gateway socket shares. Any other presence keeps
/// the heartbeat's own objects. Immutable, so a heartbeat that restates it unchanged keeps this instance.
/// </summary>
internal sealed class StoredPresence
{
    /// <summary>Marks a packed endpoint as present, so that 0.0.0.0:0 still differs from none.</summary>
    private const ulong Present = 1UL << 48;

    private readonly ulong _public;
    private readonly ulong _lan;
    private readonly NatCapabilities _capabilities;
    private readonly PlayerPresence? _unpacked;

    private StoredPresence(ulong publicEndpoint, ulong lan, NatCapabilities capabilities, PlayerPresence? unpacked, GatewayRoute route, ulong digest)
    {
        _public = publicEndpoint;
        _lan = lan;
        _capabilities = capabilities;
        _unpacked = unpacked;
        Route = route;
        Digest = digest;
    }

    public GatewayRoute Route { get; }

    /// <summary>The gateway's digest of the heartbeat this came from (0: none); see <see cref="PlayerPresence.Digest"/>.</summary>
    public ulong Digest { get; }

    public IPEndPoint PublicEndpoint => _unpacked?.PublicEndpoint ?? Unpack(_public);

    public ImmutableArray<IPEndPoint> LanEndpoints =>
        _unpacked is { } unpacked ? unpacked.LanEndpoints : _lan == 0 ? ImmutableArray<IPEndPoint>.Empty : [Unpack(_lan)];

    public NatCapabilities Capabilities => _capabilities;

    public IPEndPoint? Ipv6Endpoint => _unpacked?.Ipv6Endpoint;

    public IPEndPoint? ListenEndpoint => _unpacked?.ListenEndpoint;

    /// <summary>Whether the presence is held packed (the idle player's compact form).</summary>
    public bool IsPacked => _unpacked is null;

    /// <summary>
    /// The presence to keep after a heartbeat: <paramref name="current"/> itself when the heartbeat restated
    /// it unchanged (nothing allocated, nothing new for the collector to promote), else a new one.
    /// <paramref name="routes"/> supplies the shared instance of a route this grain has not held yet.
    /// </summary>
    public static StoredPresence Refresh(StoredPresence? current, PlayerPresence presence, GatewayRouteCache routes)
    {
        var route = current is not null && current.Route.Equals(presence.Route) ? current.Route : routes.Share(presence.Route);
        if (presence.Ipv6Endpoint is null && presence.ListenEndpoint is null
            && TryPack(presence.PublicEndpoint, out var publicEndpoint) && TryPackLan(presence.LanEndpoints, out var lan))
        {
            return current is { _unpacked: null } same && same._public == publicEndpoint && same._lan == lan
                && same._capabilities == presence.Capabilities && ReferenceEquals(same.Route, route) && same.Digest == presence.Digest
                ? same
                : new StoredPresence(publicEndpoint, lan, presence.Capabilities, null, route, presence.Digest);
        }

        return current?._unpacked is { } old && ReferenceEquals(current.Route, route) && SameEndpoints(old, presence)
            && old.Capabilities == presence.Capabilities && current.Digest == presence.Digest
            ? current
            : new StoredPresence(0, 0, presence.Capabilities, presence with { Route = route, Lobby = null }, route, presence.Digest);
    }

    private static bool SameEndpoints(PlayerPresence a, PlayerPresence b) =>
        a.PublicEndpoint.Equals(b.PublicEndpoint)
        && Equals(a.Ipv6Endpoint, b.Ipv6Endpoint)
        && Equals(a.ListenEndpoint, b.ListenEndpoint)
        && a.LanEndpoints.AsSpan().SequenceEqual(b.LanEndpoints.AsSpan());

    private static bool TryPackLan(ImmutableArray<IPEndPoint> lan, out ulong packed)
    {
        packed = 0;
        return lan.IsDefaultOrEmpty || (lan.Length == 1 && TryPack(lan[0], out packed));
    }

    private static bool TryPack(IPEndPoint endpoint, out ulong packed)
    {
        packed = 0;
        Span<byte> address = stackalloc byte[4];
        if (endpoint.AddressFamily != AddressFamily.InterNetwork || !endpoint.Address.TryWriteBytes(address, out _))
        {
            return false;
        }

        packed = Present | ((ulong)BinaryPrimitives.ReadUInt32BigEndian(address) << 16) | (uint)endpoint.Port;
        return true;
    }

    private static IPEndPoint Unpack(ulong packed)
    {
        Span<byte> address = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(address, (uint)(packed >> 16));
        return new IPEndPoint(new IPAddress(address), (ushort)packed);
    }
}
