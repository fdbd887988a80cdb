using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Matchmaker.Gateway;

/// <summary>
/// The first step of a graceful stop. <see cref="IHostedLifecycleService.StoppingAsync"/> runs before any
/// hosted service's <c>StopAsync</c>, so readiness turns false and the readiness drain elapses while the
/// gateway, Kestrel and Orleans all still serve.
/// </summary>
internal sealed partial class ReadinessDrainService(ShutdownState state, IOptions<ShutdownOptions> options, TimeProvider clock, ILogger<ReadinessDrainService> logger)
    : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.BeginStopping();
        var drain = options.Value.ReadinessDrain;
        Log.NotReady(logger, drain);
        try
        {
            await Task.Delay(drain, clock, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout ran out first: go on stopping.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Stopping: /health/ready answers 503; still serving for {Drain}")]
        public static partial void NotReady(ILogger logger, TimeSpan drain);
    }
}
