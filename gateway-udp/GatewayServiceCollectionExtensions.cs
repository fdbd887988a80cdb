using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Matchmaker.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>The UDP gateway as a hosted service; needs an <c>IGrainFactory</c> (a silo or a cluster client).</summary>
    public static IServiceCollection AddMatchmakerGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<GatewayOptions>>().Value);
        services.AddSingleton(sp => GatewayKeys.FromOptions(sp.GetRequiredService<GatewayOptions>()));
        services.AddSingleton<GatewayListeners>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<GatewayRateLimits>();
        services.AddSingleton<BindingResponder>();
        services.AddSingleton<ControlGate>();
        services.AddSingleton<HeartbeatLeases>();
        services.AddSingleton<PlayerGrainReferences>();
        services.AddSingleton<ControlRequestHandler>();
        services.AddSingleton<PushObserverReference>();
        services.AddSingleton<PushRetransmitter>();
        services.AddSingleton<GatewayPushService>();
        services.AddSingleton<PacketRouter>();
        services.AddSingleton<PeerGateways>();
        services.AddSingleton<PeerChangeRequestService>();
        services.AddHostedService<GatewayService>();

        // After GatewayService: it binds the sockets this one announces.
        services.AddHostedService<PeerDirectoryService>();
        return services;
    }
}
