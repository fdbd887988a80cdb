using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;

namespace Matchmaker.Tests.Grains;

/// <summary>
/// A real grain observer (registered through the test cluster's client) that records every push, in a
/// queue per player, so waiting for one player's push never consumes another's.
/// </summary>
public sealed class RecordingGatewayPush : IGatewayPush
{
    private readonly ConcurrentDictionary<Guid, Channel<object>> _byPlayer = new();

    public Task IntroduceAsync(PushTarget target, Introduction introduction)
    {
        For(target.PlayerId).Writer.TryWrite(introduction);
        return Task.CompletedTask;
    }

    public Task MatchedAsync(PushTarget target, string lobbyCode, ImmutableArray<Guid> players)
    {
        For(target.PlayerId).Writer.TryWrite(new MatchedPush(lobbyCode, players));
        return Task.CompletedTask;
    }

    public Task StartMatchesAsync(ImmutableArray<MatchPush> matches)
    {
        foreach (var match in matches)
        {
            MatchedAsync(match.Target, match.LobbyCode, match.Players);
            foreach (var introduction in match.Introductions)
            {
                IntroduceAsync(match.Target, introduction);
            }
        }

        return Task.CompletedTask;
    }

    public Task LobbyClosedAsync(PushTarget target, string lobbyCode, string reason)
    {
        For(target.PlayerId).Writer.TryWrite(new ClosedPush(lobbyCode, reason));
        return Task.CompletedTask;
    }

    public Task RelayLostAsync(PushTarget target, Guid introductionId)
    {
        For(target.PlayerId).Writer.TryWrite(new RelayLostPush(introductionId));
        return Task.CompletedTask;
    }

    /// <summary>Waits for the next push of type <typeparamref name="T"/> addressed to <paramref name="playerId"/>.</summary>
    public async Task<T> NextAsync<T>(Guid playerId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await For(playerId).Reader.ReadAsync(cts.Token) is T typed)
            {
                return typed;
            }
        }
    }

    private Channel<object> For(Guid playerId) => _byPlayer.GetOrAdd(playerId, _ => Channel.CreateUnbounded<object>());

    public sealed record ClosedPush(string LobbyCode, string Reason);

    public sealed record RelayLostPush(Guid IntroductionId);

    public sealed record MatchedPush(string LobbyCode, ImmutableArray<Guid> Players);
}
