using System.Collections.Concurrent;
using Matchmaker.Grains.Models;

namespace Matchmaker.Grains;

/// <summary>
/// One <see cref="GatewayRoute"/> instance per gateway socket on this silo, shared by every player grain
/// routed through it: each heartbeat deserialises a route of its own (the gateway's observer reference and
/// socket address, about 200 bytes), and a million idle players would otherwise each keep one.
/// Per silo, not static: an observer reference is bound to the runtime that deserialised it.
/// </summary>
public sealed class GatewayRouteCache
{
    /// <summary>Gateways are few; past this many routes (a churn of gateway restarts) new ones go unshared rather than grow the cache.</summary>
    private const int MaxRoutes = 4096;

    private readonly ConcurrentDictionary<GatewayRoute, GatewayRoute> _routes = new();

    public GatewayRoute Share(GatewayRoute route) =>
        _routes.TryGetValue(route, out var shared) ? shared
        : _routes.Count < MaxRoutes ? _routes.GetOrAdd(route, route)
        : route;
}
