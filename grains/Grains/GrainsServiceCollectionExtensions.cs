using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Matchmaker.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Options, metrics and the grains' clock. Grain classes themselves are found by Orleans.</summary>
    public static IServiceCollection AddMatchmakerGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PlayerOptions>().Bind(configuration.GetSection(PlayerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RelayDirectoryOptions>().Bind(configuration.GetSection(RelayDirectoryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LobbyOptions>().Bind(configuration.GetSection(LobbyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QueueOptions>().Bind(configuration.GetSection(QueueOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton<GrainMetrics>();
        services.TryAddSingleton<GatewayRouteCache>();
        services.TryAddSingleton<PlayerGrainServices>();
        services.TryAddKeyedSingleton(TimeProviderNames.Grains, TimeProvider.System);
        // An idle player has no expiry timer; its silent activation is collected instead, a little after its
        // registration lapses (Orleans collects in one-minute quanta, and its default age is 15 minutes).
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<PlayerOptions>>((collection, players) =>
            collection.ClassSpecificCollectionAge[typeof(PlayerGrain).FullName!] =
                TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(2).Ticks, players.Value.RegistrationLifetime.Ticks * 2)));
        return services;
    }
}
