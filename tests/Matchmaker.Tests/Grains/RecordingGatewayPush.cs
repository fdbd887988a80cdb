using System.Threading.Channels;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;

namespace Matchmaker.Tests.Grains;

/// <summary>A real grain observer (registered through the test cluster's client) that records every push it is sent.</summary>
public sealed class RecordingGatewayPush : IGatewayPush
{
    private readonly Channel<(PushTarget Target, object Push)> _pushes = Channel.CreateUnbounded<(PushTarget, object)>();

    public Task IntroduceAsync(PushTarget target, Introduction introduction)
    {
        _pushes.Writer.TryWrite((target, introduction));
        return Task.CompletedTask;
    }

    public Task LobbyClosedAsync(PushTarget target, string lobbyCode, string reason)
    {
        _pushes.Writer.TryWrite((target, new ClosedPush(lobbyCode, reason)));
        return Task.CompletedTask;
    }

    /// <summary>Waits for the next push addressed to <paramref name="playerId"/> of type <typeparamref name="T"/>.</summary>
    public async Task<T> NextAsync<T>(Guid playerId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var (target, push) = await _pushes.Reader.ReadAsync(cts.Token);
            if (target.PlayerId == playerId && push is T typed)
            {
                return typed;
            }
        }
    }

    public sealed record ClosedPush(string LobbyCode, string Reason);
}
