using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Matchmaker.Relay;

public static class RelayServiceCollectionExtensions
{
    /// <summary>A relay node as hosted services; needs an <c>IGrainFactory</c> (a silo or a cluster client) for its heartbeat.</summary>
    public static IServiceCollection AddMatchmakerRelay(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RelayOptions>()
            .Bind(configuration.GetSection(RelayOptions.Section))
            .PostConfigure(options => options.NodeId ??= $"relay-{Guid.NewGuid():N}")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RelayOptions>>().Value);
        services.AddSingleton<RelaySecret>();
        services.AddSingleton<RelayMetrics>();
        services.AddSingleton<RelayAllocationTable>();
        services.AddSingleton<RelayForwarder>();
        services.AddSingleton<RelayService>();
        services.AddHostedService(sp => sp.GetRequiredService<RelayService>());
        services.AddHostedService<RelayHeartbeatService>();
        return services;
    }
}
