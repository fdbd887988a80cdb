using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Matchmaker.Gateway;

public static class ShutdownHostingExtensions
{
    /// <summary>
    /// Graceful stop for a silo, gateway or relay process (the health endpoints need its <see cref="ShutdownState"/>): readiness false first (<see cref="ReadinessDrainService"/>),
    /// then hosted services stop in reverse order of registration — the gateway drains before Orleans, which
    /// then leaves membership — all within <c>Shutdown:Timeout</c>.
    /// </summary>
    public static WebApplicationBuilder AddMatchmakerShutdown(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ShutdownOptions.Section);
        builder.Services.AddOptions<ShutdownOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var timeout = (section.Get<ShutdownOptions>() ?? new ShutdownOptions()).Timeout;
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = timeout);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ShutdownState>();
        builder.Services.AddHostedService<ReadinessDrainService>();
        return builder;
    }
}
