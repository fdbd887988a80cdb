using System.Net;

namespace Matchmaker.Gateway;

/// <summary>
/// Owns the bound sockets for the life of the gateway and tells the rest of the process where they are
/// (ports may be chosen by the OS when configured as 0).
/// </summary>
public sealed class GatewayListeners : IDisposable
{
    private GatewaySocketSet? _set;

    /// <summary>Every bound endpoint with its RFC 5780 role: primary, alternate-port, alternate-address, alternate-address-and-port.</summary>
    public IReadOnlyList<(IPEndPoint Endpoint, string Role)> Endpoints =>
        _set?.Sockets.Select(s => (s.LocalEndPoint, s.Role)).ToList() ?? [];

    /// <summary>The first primary endpoint: where clients should send.</summary>
    public IPEndPoint Primary => Endpoints.First(e => e.Role == "primary").Endpoint;

    /// <summary>The primary IPv6 endpoint when <c>Gateway:Address6</c> is set.</summary>
    public IPEndPoint? PrimaryIpv6 => _set?.PrimaryIpv6;

    internal IReadOnlyList<GatewaySocket> Sockets => _set?.Sockets ?? [];

    internal void Bind(GatewayOptions options) => _set = GatewaySocketSet.Bind(options);

    internal GatewaySocket? Find(IPEndPoint local) => _set?.Find(local);

    public void Dispose() => _set?.Dispose();
}
