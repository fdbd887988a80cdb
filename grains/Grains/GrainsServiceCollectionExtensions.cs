using Matchmaker.Grains.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Matchmaker.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Options, metrics, the queue intake and the grains' clock. Grain classes themselves are found by Orleans.</summary>
    public static IServiceCollection AddMatchmakerGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PlayerOptions>().Bind(configuration.GetSection(PlayerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RelayDirectoryOptions>().Bind(configuration.GetSection(RelayDirectoryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LobbyOptions>().Bind(configuration.GetSection(LobbyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QueueOptions>().Bind(configuration.GetSection(QueueOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton<GrainMetrics>();
        services.TryAddSingleton<QueueIntake>();
        services.TryAddSingleton<GatewayRouteCache>();
        services.TryAddSingleton<PlayerGrainServices>();
        services.TryAddKeyedSingleton(TimeProviderNames.Grains, TimeProvider.System);
        // An idle player has no expiry timer; its silent activation is collected instead, a little after its
        // registration (and any renewal lease the gateway holds on top of it) lapses (Orleans collects in one-minute quanta, and its default age is 15 minutes).
        // A player's relay quota must outlive the allocations it counts, however quiet the player is meanwhile.
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<PlayerOptions>, IOptions<RelayDirectoryOptions>>((collection, players, relays) =>
        {
            collection.ClassSpecificCollectionAge[typeof(PlayerGrain).FullName!] =
                TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(2).Ticks, (players.Value.RegistrationLifetime + players.Value.RenewalLease).Ticks * 2));
            collection.ClassSpecificCollectionAge[typeof(RelayQuotaGrain).FullName!] = relays.Value.AllocationLifetime + TimeSpan.FromMinutes(1);
        });
        return services;
    }
}
