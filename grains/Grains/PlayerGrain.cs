using Matchmaker.Grains.Models;
using Matchmaker.Grains.Queues;
using Matchmaker.Protocol.Control;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Matchmaker.Grains;

/// <summary>
/// A registered player: soft state restated by every heartbeat, dropped when heartbeats stop.
/// Expiry is checked against the grains' <see cref="TimeProvider"/>, so tests can fake time: lazily for an
/// idle player (no timer: a timer per activation would be the largest thing an idle player costs, and
/// Orleans collects the silent activation), and on a grain timer while the player is in a lobby, whose
/// members must hear promptly that it is gone.
/// While the player is in a lobby each heartbeat also restates its place there, which rebuilds a lobby lost
/// with its silo; a grain that was itself lost rebuilds from the client's <see cref="LobbyClaim"/>.
/// </summary>
public sealed partial class PlayerGrain(PlayerGrainServices services) : Grain, IPlayerGrain
{
    private const int MaxCodeAttempts = 8;
    private static readonly TimeSpan QuotaWindow = TimeSpan.FromMinutes(1);

    private StoredPresence? _presence;

    // Unix seconds, rounded up: a quarter of a DateTimeOffset, sharing its word with _lobbyKnown, and every idle player holds one.
    private uint _expiresAt;
    // Set once this activation has seen the player host, join or leave, or its lobby close: from then on the
    // grain, not the client's claim, knows the player's lobby. A fresh activation trusts the claim.
    private bool _lobbyKnown;

    // Whether _expiresAt includes a renewal lease granted to the gateway (an idle player only). It shares the
    // word that holds _expiresAt and _lobbyKnown, so it costs an idle player nothing.
    private bool _leased;
    private PlayerActivity? _activity;

    private Guid PlayerId => this.GetPrimaryKey();

    private PlayerActivity Activity => _activity ??= new PlayerActivity();

    // Lobby and queue state lives in the activity, created on first use, so an idle player holds none of it;
    // clearing what was never set creates nothing.
    private string? CurrentLobby
    {
        get => _activity?.Lobby;
        set => ActivityToSet(value)?.Lobby = value;
    }

    private QueueTicket? QueuedTicket
    {
        get => _activity?.Ticket;
        set => ActivityToSet(value)?.Ticket = value;
    }

    private QueueTicket? ClaimedTicket
    {
        get => _activity?.Claimed;
        set => ActivityToSet(value)?.Claimed = value;
    }

    private TimeProvider Clock => services.Clock;

    /// <summary>The activity a value is stored in: created for a value, but not just to clear one.</summary>
    private PlayerActivity? ActivityToSet(object? value) => value is null ? _activity : Activity;

    private PlayerOptions Options => services.Options;

    public async Task<PlayerStatus> HeartbeatAsync(PlayerPresence presence)
    {
        ForgetIfExpired();
        if (_presence is null)
        {
            services.Metrics.PlayerOnline();
            Log.PlayerOnline(services.Logger, PlayerId);
        }

        _presence = StoredPresence.Refresh(_presence, presence, services.Routes);
        try
        {
            return await RenewAsync(presence.Lobby);
        }
        catch
        {
            // The digest vouches that this presence, claim included, was taken in whole; this one was not, so
            // the next heartbeat must come in full rather than as a digest.
            if (_presence is not null)
            {
                _presence = StoredPresence.Refresh(_presence, presence with { Digest = 0 }, services.Routes);
            }

            throw;
        }
    }

    public async Task<PlayerStatus?> RefreshAsync(ulong presenceDigest)
    {
        ForgetIfExpired();
        if (presenceDigest == 0 || _presence?.Digest != presenceDigest)
        {
            return null;
        }

        // The heartbeat that left this digest carried the lobby claim, and it was acted on then.
        return await RenewAsync(claim: null);
    }

    /// <summary>What every heartbeat does once the presence is current: renews the registration and restates the lobby.</summary>
    private async Task<PlayerStatus> RenewAsync(LobbyClaim? claim)
    {
        var now = Clock.GetUtcNow();
        _expiresAt = ExpiryFrom(now, TimeSpan.Zero);
        _leased = false;
        if (CurrentLobby is { } code)
        {
            await RestateLobbyAsync(code, _activity?.HostedSpec);
        }
        else if (!_lobbyKnown && claim is not null && (claim.Hosted is null || IsValid(claim.Hosted)))
        {
            await RestateLobbyAsync(claim.Code, claim.Hosted);
        }

        WatchExpiry();

        // An idle player's heartbeats only renew: the gateway may answer them for a lease, so the registration
        // must outlive the lease by a whole lifetime. A player in a lobby or queue is never leased: its
        // heartbeats restate its place there, and its timer must see it go silent within one lifetime.
        if (CurrentLobby is null && QueuedTicket is null && _presence is not null && Options.RenewalLease > TimeSpan.Zero)
        {
            _expiresAt = ExpiryFrom(now, Options.RenewalLease);
            _leased = true;
            return Status(Options.GatewayLease);
        }

        return Status();
    }

    private uint ExpiryFrom(DateTimeOffset renewed, TimeSpan lease) =>
        (uint)Math.Ceiling((renewed + Options.RegistrationLifetime + lease).ToUnixTimeMilliseconds() / 1000.0);

    public Task<PlayerStatus> GetStatusAsync()
    {
        ForgetIfExpired();
        return Task.FromResult(Status());
    }

    public async Task<LobbyResult> HostLobbyAsync(LobbySpec spec, Guid requestId)
    {
        ForgetIfExpired();
        if (Replay(requestId) is { } replayed)
        {
            return replayed;
        }

        var result = Remember(requestId, await HostNewLobbyAsync(spec));
        WatchExpiry();
        return result;
    }

    public async Task<LobbyResult> JoinLobbyAsync(string lobbyCode, Guid requestId)
    {
        ForgetIfExpired();
        if (Replay(requestId) is { } replayed)
        {
            return replayed;
        }

        var result = Remember(requestId, await JoinOtherLobbyAsync(lobbyCode));
        WatchExpiry();
        return result;
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

        var now = Clock.GetUtcNow();
        if (!WithinQuota(Activity.HostedLobbies, Options.MaxLobbiesHostedPerMinute, now))
        {
            return Refuse("player-lobbies");
        }

        if (services.Metrics.SessionsOnThisSilo >= services.Lobbies.MaxActivePerSilo)
        {
            return Refuse("silo-lobbies");
        }

        Activity.HostedLobbies.Enqueue(now);

        await LeaveQueueAsync();
        await LeaveLobbyAsync();
        _lobbyKnown = true;
        for (var attempt = 0; attempt < MaxCodeAttempts; attempt++)
        {
            var code = LobbyCode.Generate();
            if (await GrainFactory.GetGrain<ISessionGrain>(code).OpenAsync(card, spec))
            {
                CurrentLobby = code;
                Activity.HostedSpec = spec;
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

        if (CurrentLobby == lobbyCode)
        {
            // Already a member: the introductions went out when this player joined.
            var summary = await GrainFactory.GetGrain<ISessionGrain>(lobbyCode).GetSummaryAsync();
            return summary is null ? LobbyResult.Failed(LobbyStatus.NotFound) : LobbyResult.Succeeded(summary, []);
        }

        var now = Clock.GetUtcNow();
        if (!WithinQuota(Activity.FailedJoins, Options.MaxFailedJoinsPerMinute, now))
        {
            return Refuse("player-failed-joins");
        }

        await LeaveQueueAsync();
        await LeaveLobbyAsync();
        _lobbyKnown = true;
        var result = await GrainFactory.GetGrain<ISessionGrain>(lobbyCode).JoinAsync(card);
        if (result.Status == LobbyStatus.NotFound)
        {
            Activity.FailedJoins.Enqueue(now);
        }
        else if (result.Status == LobbyStatus.Ok)
        {
            CurrentLobby = lobbyCode;
            foreach (var introduction in result.Introductions)
            {
                Push(introduction);
            }
        }

        return result;
    }

    public async Task LeaveLobbyAsync()
    {
        _lobbyKnown = true;
        if (CurrentLobby is { } code)
        {
            ForgetLobby();
            await GrainFactory.GetGrain<ISessionGrain>(code).LeaveAsync(PlayerId, "left");
        }
    }

    public async Task<QueueStatus> EnqueueAsync(QueueSpec spec)
    {
        if (Card() is not { } card)
        {
            return QueueStatus.NotRegistered;
        }

        if (!IsValid(spec))
        {
            return QueueStatus.InvalidSpec;
        }

        if (QueuedTicket is { } current && current.Spec == spec)
        {
            return QueueStatus.Ok;
        }

        await LeaveQueueAsync();
        await LeaveLobbyAsync();
        var ticket = new QueueTicket(Guid.NewGuid(), spec, card, Clock.GetUtcNow());
        // Through this silo's intake, which batches tickets per shard (resolved here, not injected: only queueing uses it).
        var status = await ServiceProvider.GetRequiredService<QueueIntake>().EnqueueAsync(PathOf(ticket)[0], ticket);
        if (status == QueueStatus.Ok)
        {
            QueuedTicket = ticket;
            WatchExpiry();
            services.Metrics.TicketQueued(spec.Mode);
        }

        return status;
    }

    public async Task LeaveQueueAsync()
    {
        // A match still forming must not put this ticket back if it falls through: the player asked to leave.
        ClaimedTicket = null;
        if (QueuedTicket is { } ticket)
        {
            QueuedTicket = null;
            WatchExpiry();

            // The ticket may have moved on to a wider stage (or be moving); cancel it on every stage of its path.
            await Task.WhenAll(PathOf(ticket).Select(key => GrainFactory.GetGrain<IQueueGrain>(key).CancelAsync(ticket.TicketId)));
        }
    }

    public Task<MatchClaim?> ClaimMatchAsync(Guid ticketId, string lobbyCode)
    {
        if (QueuedTicket?.TicketId != ticketId || Target() is not { } target)
        {
            return Task.FromResult<MatchClaim?>(null);
        }

        ClaimedTicket = QueuedTicket;
        QueuedTicket = null;
        CurrentLobby = lobbyCode;
        if (_activity is { } activity)
        {
            activity.HostedSpec = null;
            activity.WaitingSince = null;
        }

        _lobbyKnown = true;
        WatchExpiry();
        return Task.FromResult<MatchClaim?>(new MatchClaim(Card()!, target, _presence!.Route.Gateway));
    }

    public Task ReleaseMatchAsync(string lobbyCode, Guid ticketId, string queueKey)
    {
        QueueTicket? wanted = null;
        if (CurrentLobby == lobbyCode && ClaimedTicket?.TicketId == ticketId)
        {
            wanted = ClaimedTicket;
            ForgetLobby();
        }
        else if (QueuedTicket?.TicketId == ticketId)
        {
            // The claim never reached this grain (it failed on the way), but the shard gave the ticket up.
            wanted = QueuedTicket;
        }

        if (wanted is not null && Card() is { } card)
        {
            QueuedTicket = wanted with { Card = card };
            GrainFactory.GetGrain<IQueueGrain>(queueKey).RequeueAsync([QueuedTicket]).Ignore();
        }

        WatchExpiry();
        return Task.CompletedTask;
    }

    public Task<PeerCard?> IntroduceAsync(Introduction introduction)
    {
        ForgetIfExpired();
        var card = Card();
        if (card is not null)
        {
            Push(introduction);
        }

        return Task.FromResult(card);
    }

    public Task NotifyLobbyClosedAsync(string lobbyCode, string reason)
    {
        _lobbyKnown = true;
        if (CurrentLobby == lobbyCode)
        {
            ForgetLobby();
            PushClosed(lobbyCode, reason);
        }

        return Task.CompletedTask;
    }

    public Task NotifyRelayLostAsync(Guid introductionId)
    {
        if (Target() is { } target)
        {
            _presence!.Route.Gateway.RelayLostAsync(target, introductionId).Ignore();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Restates this player's place in its lobby. A member whose lobby stays unopened for a registration
    /// lifetime (its host never came back) is told the lobby is gone, as it would have been had the host's
    /// grain expired normally.
    /// </summary>
    private async Task RestateLobbyAsync(string code, LobbySpec? hosted)
    {
        var session = GrainFactory.GetGrain<ISessionGrain>(code);
        var card = Card()!;
        var result = hosted is not null
            ? (await session.RestoreHostAsync(card, hosted) ? RestoreResult.Restored : RestoreResult.Refused)
            : await session.RestoreMemberAsync(card);
        if (result == RestoreResult.Pending && _activity?.WaitingSince is { } since && Clock.GetUtcNow() - since >= Options.RegistrationLifetime)
        {
            result = RestoreResult.Refused;
        }

        switch (result)
        {
            case RestoreResult.Restored:
                if (CurrentLobby is null || _activity?.WaitingSince is not null)
                {
                    Log.LobbyRestored(services.Logger, PlayerId, code);
                }

                CurrentLobby = code;
                if (hosted is not null || _activity is not null)
                {
                    Activity.HostedSpec = hosted;
                    Activity.WaitingSince = null;
                }

                break;
            case RestoreResult.Pending:
                CurrentLobby = code;
                Activity.HostedSpec = null;
                Activity.WaitingSince ??= Clock.GetUtcNow();
                break;
            default:
                ForgetLobby();
                _lobbyKnown = true;
                PushClosed(code, "host-lost");
                break;
        }
    }

    private void ForgetLobby()
    {
        ClaimedTicket = null;
        CurrentLobby = null;
        if (_activity is { } activity)
        {
            activity.HostedSpec = null;
            activity.WaitingSince = null;
        }

        WatchExpiry();
    }

    /// <summary>A timer only while in a lobby or queued (see the class comment): both hold state elsewhere to release.</summary>
    private void WatchExpiry()
    {
        if ((CurrentLobby is not null || QueuedTicket is not null) && _presence is not null)
        {
            if (_leased)
            {
                // Leaving idleness ends the lease (the gateway dropped it before forwarding the request that did
                // so): from here the timer must see silence within one lifetime of the last renewal.
                _expiresAt -= (uint)Options.RenewalLease.TotalSeconds;
                _leased = false;
            }

            Activity.ExpiryTimer ??= this.RegisterGrainTimer(
                ExpireIfSilentAsync,
                new GrainTimerCreationOptions(Options.HeartbeatInterval, Options.HeartbeatInterval) { KeepAlive = true, Interleave = true });
        }
        else
        {
            StopExpiryTimer();
        }
    }

    private void StopExpiryTimer()
    {
        if (_activity is { ExpiryTimer: { } timer } activity)
        {
            timer.Dispose();
            activity.ExpiryTimer = null;
        }
    }

    /// <summary>The lazy expiry of a player outside any lobby or queue; one in a lobby or queue expires on its timer.</summary>
    private void ForgetIfExpired()
    {
        if (_presence is null || CurrentLobby is not null || QueuedTicket is not null || Clock.GetUtcNow().ToUnixTimeSeconds() < _expiresAt)
        {
            return;
        }

        Log.PlayerExpired(services.Logger, PlayerId);
        _presence = null;
        services.Metrics.PlayerOffline();
        this.DeactivateOnIdle();
    }

    private void PushClosed(string lobbyCode, string reason)
    {
        if (Target() is { } target)
        {
            _presence!.Route.Gateway.LobbyClosedAsync(target, lobbyCode, reason).Ignore();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_presence is not null)
        {
            // Soft state dies with the activation; count it offline so the gauge never drifts.
            services.Metrics.PlayerOffline();
        }

        return Task.CompletedTask;
    }

    private async Task ExpireIfSilentAsync(CancellationToken cancellationToken)
    {
        if (_presence is null || Clock.GetUtcNow().ToUnixTimeSeconds() < _expiresAt)
        {
            return;
        }

        Log.PlayerExpired(services.Logger, PlayerId);
        _presence = null;
        services.Metrics.PlayerOffline();
        StopExpiryTimer();
        await LeaveQueueAsync();
        _lobbyKnown = true;
        if (CurrentLobby is { } code)
        {
            ForgetLobby();
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
        _activity?.LastLobbyRequest is { } last && last.RequestId == requestId ? last.Result with { Introductions = [] } : null;

    private LobbyResult Remember(Guid requestId, LobbyResult result)
    {
        Activity.LastLobbyRequest = (requestId, result);
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
        services.Metrics.QuotaRefused(quota);
        return LobbyResult.Failed(LobbyStatus.RateLimited);
    }

    private PlayerStatus Status(TimeSpan lease = default) => new(_presence is not null, Options.HeartbeatInterval, CurrentLobby, QueuedTicket is not null, lease);

    private IReadOnlyList<string> PathOf(QueueTicket ticket) =>
        QueueShards.PathOf(ticket.Spec.Mode, ticket.Spec.Size, ticket.Spec.Region, ConnectionPlanner.UsableCapabilities(ticket.Card), services.Queues.Sharded);

    private PeerCard? Card() => _presence is { } p
        ? new PeerCard(PlayerId, p.PublicEndpoint, p.LanEndpoints, p.Capabilities, p.Ipv6Endpoint, p.ListenEndpoint)
        : null;

    private PushTarget? Target() => _presence is { } p
        ? new PushTarget(PlayerId, p.PublicEndpoint, p.Route.GatewayEndpoint)
        : null;

    private static bool IsValid(LobbySpec spec) =>
        spec.MaxPlayers is >= ProtocolLimits.MinPlayers and <= ProtocolLimits.MaxPlayers
        && !string.IsNullOrWhiteSpace(spec.Name)
        && System.Text.Encoding.UTF8.GetByteCount(spec.Name) <= ProtocolLimits.MaxLobbyNameBytes;

    private static bool IsValid(QueueSpec spec) => QueueRequests.IsValid(spec.Mode, spec.Size, spec.Region);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Player {PlayerId} registered")]
        public static partial void PlayerOnline(ILogger logger, Guid playerId);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Player {PlayerId} restated its place in lobby {Code} after the lobby or the player's grain was lost")]
        public static partial void LobbyRestored(ILogger logger, Guid playerId, string code);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Player {PlayerId} missed its heartbeats and expired")]
        public static partial void PlayerExpired(ILogger logger, Guid playerId);
    }
}
