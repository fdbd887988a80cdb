using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Matchmaker.Grains;

/// <summary>
/// What every player grain on a silo shares, behind one reference: each service a grain takes in its
/// constructor is a field in every activation, and a million idle players pay for each (see
/// <see cref="StoredPresence"/> for the budget).
/// </summary>
public sealed class PlayerGrainServices(
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<PlayerOptions> players,
    IOptions<LobbyOptions> lobbies,
    IOptions<QueueOptions> queues,
    GatewayRouteCache routes,
    GrainMetrics metrics,
    ILogger<PlayerGrain> logger)
{
    public TimeProvider Clock { get; } = clock;

    public QueueOptions Queues { get; } = queues.Value;

    public GrainMetrics Metrics { get; } = metrics;

    public PlayerOptions Options { get; } = players.Value;

    public LobbyOptions Lobbies { get; } = lobbies.Value;

    public GatewayRouteCache Routes { get; } = routes;

    public ILogger<PlayerGrain> Logger { get; } = logger;
}
