using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
        services.TryAddKeyedSingleton(TimeProviderNames.Grains, TimeProvider.System);
        return services;
    }
}
