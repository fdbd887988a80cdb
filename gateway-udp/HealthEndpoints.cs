using Matchmaker.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Matchmaker.Gateway;

/// <summary>
/// Liveness touches nothing but the process (a slow cluster must not get pods killed); readiness makes a
/// real grain call, as Orleans' Kubernetes guidance recommends, and turns false as soon as a graceful stop begins.
/// </summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(3);

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/health/live", () => Results.Text("ok"));
        app.MapGet("/health/ready", async (IGrainFactory grains, ShutdownState shutdown, CancellationToken cancellationToken) =>
        {
            if (shutdown.IsStopping)
            {
                return Results.Text("not ready: stopping", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            try
            {
                await grains.GetGrain<ILobbyBrowserGrain>(0).ListAsync(1).WaitAsync(ReadyTimeout, cancellationToken);
                return Results.Text("ready");
            }
            catch (Exception exception) when (exception is TimeoutException or OrleansException)
            {
                return Results.Text($"not ready: {exception.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }
}
