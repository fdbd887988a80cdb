using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Matchmaker.Grains;

/// <summary>
/// A registered player: soft state restated by every heartbeat, dropped when heartbeats stop.
/// Expiry runs on a grain timer driven by the grains' <see cref="TimeProvider"/>, so tests can fake time.
/// </summary>
public sealed partial class PlayerGrain(
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<PlayerOptions> options,
    IOptions<LobbyOptions> lobbyOptions,
    GrainMetrics metrics,
    ILogger<PlayerGrain> logger) : Grain, IPlayerGrain
{
    private const int MaxCodeAttempts = 8;
    private static readonly TimeSpan QuotaWindow = TimeSpan.FromMinutes(1);

    private readonly PlayerOptions _options = options.Value;
    private PlayerPresence? _presence;
    private DateTimeOffset _expiresAt;
    private string? _lobbyCode;
    private IGrainTimer? _expiryTimer;
    private (Guid RequestId, LobbyResult Result)? _lastLobbyRequest;

    /// <summary>When this player's recent failed joins and hosted lobbies happened: sliding one-minute windows, each at most its quota long.</summary>
    private readonly Queue<DateTimeOffset> _failedJoins = new();
    private readonly Queue<DateTimeOffset> _hostedLobbies = new();

    private Guid PlayerId => this.GetPrimaryKey();

    public Task<PlayerStatus> HeartbeatAsync(PlayerPresence presence)
    {
        if (_presence is null)
        {
            metrics.PlayerOnline();
            Log.PlayerOnline(logger, PlayerId);
        }

        _presence = presence;
        _expiresAt = clock.GetUtcNow() + _options.RegistrationLifetime;
        _expiryTimer ??= this.RegisterGrainTimer(
            ExpireIfSilentAsync,
            new GrainTimerCreationOptions(_options.HeartbeatInterval, _options.HeartbeatInterval) { KeepAlive = true, Interleave = true });
        return Task.FromResult(Status());
    }

    public Task<PlayerStatus> GetStatusAsync() => Task.FromResult(Status());

    public async Task<LobbyResult> HostLobbyAsync(LobbySpec spec, Guid requestId)
    {
        if (Replay(requestId) is { } replayed)
        {
            return replayed;
        }

        return Remember(requestId, await HostNewLobbyAsync(spec));
    }

    public async Task<LobbyResult> JoinLobbyAsync(string lobbyCode, Guid requestId)
    {
        if (Replay(requestId) is { } replayed)
        {
            return replayed;
        }

        return Remember(requestId, await JoinOtherLobbyAsync(lobbyCode));
    }

    private async Task<LobbyResult> HostNewLobbyAsync(LobbySpec spec)
    {
        if (Card() is not { } card)
        {
            return LobbyResult.Failed(LobbyStatus.NotRegistered);
        }

        if (!IsValid(spec))
        {
            return LobbyResult.Failed(LobbyStatus.InvalidSpec);
        }

        var now = clock.GetUtcNow();
        if (!WithinQuota(_hostedLobbies, _options.MaxLobbiesHostedPerMinute, now))
        {
            return Refuse("player-lobbies");
        }

        if (metrics.SessionsOnThisSilo >= lobbyOptions.Value.MaxActivePerSilo)
        {
            return Refuse("silo-lobbies");
        }

        _hostedLobbies.Enqueue(now);

        await LeaveLobbyAsync();
        for (var attempt = 0; attempt < MaxCodeAttempts; attempt++)
        {
            var code = LobbyCode.Generate();
            if (await GrainFactory.GetGrain<ISessionGrain>(code).OpenAsync(card, spec))
            {
                _lobbyCode = code;
                return LobbyResult.Succeeded(new LobbySummary(code, spec.Name, 1, spec.MaxPlayers), []);
            }
        }

        throw new InvalidOperationException($"No free lobby code after {MaxCodeAttempts} draws; the code space is exhausted.");
    }

    private async Task<LobbyResult> JoinOtherLobbyAsync(string lobbyCode)
    {
        if (Card() is not { } card)
        {
            return LobbyResult.Failed(LobbyStatus.NotRegistered);
        }

        if (_lobbyCode == lobbyCode)
        {
            // Already a member: the introductions went out when this player joined.
            var summary = await GrainFactory.GetGrain<ISessionGrain>(lobbyCode).GetSummaryAsync();
            return summary is null ? LobbyResult.Failed(LobbyStatus.NotFound) : LobbyResult.Succeeded(summary, []);
        }

        var now = clock.GetUtcNow();
        if (!WithinQuota(_failedJoins, _options.MaxFailedJoinsPerMinute, now))
        {
            return Refuse("player-failed-joins");
        }

        await LeaveLobbyAsync();
        var result = await GrainFactory.GetGrain<ISessionGrain>(lobbyCode).JoinAsync(card);
        if (result.Status == LobbyStatus.NotFound)
        {
            _failedJoins.Enqueue(now);
        }
        else if (result.Status == LobbyStatus.Ok)
        {
            _lobbyCode = lobbyCode;
            foreach (var introduction in result.Introductions)
            {
                Push(introduction);
            }
        }

        return result;
    }

    public async Task LeaveLobbyAsync()
    {
        if (_lobbyCode is { } code)
        {
            _lobbyCode = null;
            await GrainFactory.GetGrain<ISessionGrain>(code).LeaveAsync(PlayerId, "left");
        }
    }

    public Task<PeerCard?> IntroduceAsync(Introduction introduction)
    {
        var card = Card();
        if (card is not null)
        {
            Push(introduction);
        }

        return Task.FromResult(card);
    }

    public Task NotifyLobbyClosedAsync(string lobbyCode, string reason)
    {
        if (_lobbyCode == lobbyCode)
        {
            _lobbyCode = null;
            if (Target() is { } target)
            {
                _presence!.Route.Gateway.LobbyClosedAsync(target, lobbyCode, reason).Ignore();
            }
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_presence is not null)
        {
            // Soft state dies with the activation; count it offline so the gauge never drifts.
            metrics.PlayerOffline();
        }

        return Task.CompletedTask;
    }

    private async Task ExpireIfSilentAsync(CancellationToken cancellationToken)
    {
        if (_presence is null || clock.GetUtcNow() < _expiresAt)
        {
            return;
        }

        Log.PlayerExpired(logger, PlayerId);
        _presence = null;
        metrics.PlayerOffline();
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        if (_lobbyCode is { } code)
        {
            _lobbyCode = null;
            await GrainFactory.GetGrain<ISessionGrain>(code).LeaveAsync(PlayerId, "player-lost");
        }

        this.DeactivateOnIdle();
    }

    private void Push(Introduction introduction)
    {
        if (Target() is { } target)
        {
            _presence!.Route.Gateway.IntroduceAsync(target, introduction).Ignore();
        }
    }

    /// <summary>The first answer to a retransmitted request; its introductions were already pushed, so none again.</summary>
    private LobbyResult? Replay(Guid requestId) =>
        _lastLobbyRequest is { } last && last.RequestId == requestId ? last.Result with { Introductions = [] } : null;

    private LobbyResult Remember(Guid requestId, LobbyResult result)
    {
        _lastLobbyRequest = (requestId, result);
        return result;
    }

    /// <summary>Forgets events older than the window, then says whether one more still fits the quota.</summary>
    private static bool WithinQuota(Queue<DateTimeOffset> recent, int quota, DateTimeOffset now)
    {
        while (recent.TryPeek(out var oldest) && now - oldest >= QuotaWindow)
        {
            recent.Dequeue();
        }

        return recent.Count < quota;
    }

    private LobbyResult Refuse(string quota)
    {
        metrics.QuotaRefused(quota);
        return LobbyResult.Failed(LobbyStatus.RateLimited);
    }

    private PlayerStatus Status() => new(_presence is not null, _options.HeartbeatInterval, _lobbyCode);

    private PeerCard? Card() => _presence is { } p
        ? new PeerCard(PlayerId, p.PublicEndpoint, p.LanEndpoints, p.Capabilities)
        : null;

    private PushTarget? Target() => _presence is { } p
        ? new PushTarget(PlayerId, p.PublicEndpoint, p.Route.GatewayEndpoint)
        : null;

    private static bool IsValid(LobbySpec spec) =>
        spec.MaxPlayers is >= ProtocolLimits.MinPlayers and <= ProtocolLimits.MaxPlayers
        && !string.IsNullOrWhiteSpace(spec.Name)
        && System.Text.Encoding.UTF8.GetByteCount(spec.Name) <= ProtocolLimits.MaxLobbyNameBytes;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Player {PlayerId} registered")]
        public static partial void PlayerOnline(ILogger logger, Guid playerId);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Player {PlayerId} missed its heartbeats and expired")]
        public static partial void PlayerExpired(ILogger logger, Guid playerId);
    }
}
