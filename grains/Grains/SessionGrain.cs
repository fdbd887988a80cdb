using System.Collections.Immutable;
using System.Security.Cryptography;
using Matchmaker.Grains.Models;
using Matchmaker.Grains.Queues;
using Matchmaker.Protocol.Control;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Matchmaker.Grains;

/// <summary>
/// A lobby. Introduces each joiner to every member (a full mesh, so any player can send to any other),
/// and ends when its host leaves or is lost. Its state is soft: when it is lost with its silo, the host's
/// next heartbeat reopens it under the same code and the members' heartbeats put them back
/// (<see cref="RestoreHostAsync"/>, <see cref="RestoreMemberAsync"/>).
/// </summary>
public sealed partial class SessionGrain(
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<LobbyOptions> options,
    GrainMetrics metrics,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    private readonly Dictionary<Guid, PeerCard> _members = [];

    // Members whose heartbeats reached this lobby before its host's did after a silo loss; taken in on reopen.
    private readonly Dictionary<Guid, PeerCard> _waiting = [];
    private LobbySpec? _spec;
    private Guid _hostId;

    /// <summary>Lobbies formed by a queue are full and private: they never enter the public list.</summary>
    private bool _listed = true;

    private string Code => this.GetPrimaryKeyString();

    public async Task<bool> OpenAsync(PeerCard host, LobbySpec spec)
    {
        if (_spec is not null)
        {
            return false;
        }

        _spec = spec;
        _listed = true;
        _hostId = host.PlayerId;
        _members[host.PlayerId] = host;
        metrics.SessionOpened();
        Log.Opened(logger, Code, spec.MaxPlayers);
        await Index().UpsertAsync(Summary(_spec));
        return true;
    }

    public async Task<LobbyResult> JoinAsync(PeerCard joiner)
    {
        if (_spec is not { } spec)
        {
            return LobbyResult.Failed(LobbyStatus.NotFound);
        }

        if (_members.ContainsKey(joiner.PlayerId))
        {
            return LobbyResult.Succeeded(Summary(spec), []);
        }

        if (_members.Count >= spec.MaxPlayers)
        {
            return LobbyResult.Failed(LobbyStatus.Full);
        }

        // Plan every pair, and reserve a relay for each pair with no direct path, before introducing anyone,
        // so a refused join leaves no half-made introductions. Relays are for friend-joins only: this is the
        // one place that reserves them.
        var plans = new Dictionary<Guid, (ConnectMethod Method, Guid IntroductionId, RelayReservation? Relay)>();
        foreach (var member in _members.Values)
        {
            var id = Guid.NewGuid();
            if (ConnectionPlanner.Plan(joiner, member) is { } direct)
            {
                plans[member.PlayerId] = (direct, id, null);
                continue;
            }

            var grant = await GrainFactory.GetGrain<IRelayDirectoryGrain>(0).ReserveAsync(new RelayRequest(id, joiner.PlayerId, member.PlayerId));
            switch (grant.Refusal)
            {
                case RelayRefusal.PlayerQuota:
                    // Reservations already made for this join are withdrawn by their nodes' bind window.
                    Log.RelayQuotaReached(logger, Code);
                    return LobbyResult.Failed(LobbyStatus.RateLimited);
                case RelayRefusal.NoNode:
                    Log.RelayRequired(logger, Code);
                    return LobbyResult.Failed(LobbyStatus.RelayRequired);
            }

            plans[member.PlayerId] = (ConnectMethod.Relay, id, grant.Reservation);
        }

        var expiresAt = clock.GetUtcNow() + options.Value.IntroductionLifetime;
        var introductions = ImmutableArray.CreateBuilder<Introduction>(_members.Count);
        foreach (var member in _members.Values.ToArray())
        {
            var (method, id, relay) = plans[member.PlayerId];
            var secret = RandomNumberGenerator.GetBytes(ProtocolLimits.SecretLength);
            var toMember = new Introduction(id, Code, joiner, secret, method, expiresAt, PeerIsHost: false, relay?.ForB);
            var current = await GrainFactory.GetGrain<IPlayerGrain>(member.PlayerId).IntroduceAsync(toMember);
            if (current is null)
            {
                if (member.PlayerId == _hostId)
                {
                    await CloseAsync("host-lost");
                    return LobbyResult.Failed(LobbyStatus.NotFound);
                }

                _members.Remove(member.PlayerId);
                continue;
            }

            _members[member.PlayerId] = current;
            introductions.Add(new Introduction(id, Code, current, secret, method, expiresAt, PeerIsHost: member.PlayerId == _hostId, relay?.ForA));
        }

        _members[joiner.PlayerId] = joiner;
        Log.Joined(logger, Code, _members.Count, spec.MaxPlayers);
        if (_listed)
        {
            await Index().UpsertAsync(Summary(spec));
        }

        return LobbyResult.Succeeded(Summary(spec), introductions.ToImmutable());
    }

    public async Task LeaveAsync(Guid playerId, string reason)
    {
        if (_spec is not { } spec || !_members.Remove(playerId))
        {
            return;
        }

        if (playerId == _hostId)
        {
            await CloseAsync(reason == "left" ? "host-left" : "host-lost");
            return;
        }

        if (_listed)
        {
            await Index().UpsertAsync(Summary(spec));
        }
    }

    public async Task OpenMatchAsync(MatchProposal proposal)
    {
        var mode = QueueShards.ModeOf(proposal.QueueKey);
        if (_spec is not null)
        {
            // The code is a live lobby's: nobody was claimed, so the tickets go straight back.
            metrics.MatchRequeued(mode);
            GrainFactory.GetGrain<IQueueGrain>(proposal.QueueKey).RequeueAsync(proposal.Tickets).Ignore();
            return;
        }

        // All or nothing: each claim spends a ticket and puts its player in this lobby, so nobody hears of the
        // match until every claim is in. A player who dropped (left the queue, stopped heartbeating, queued
        // again) answers null and sinks the match before anyone is introduced.
        var claims = await Task.WhenAll(proposal.Tickets.Select(ClaimAsync));
        var cards = new PeerCard[claims.Length];
        var dropped = 0;
        var complete = true;
        for (var i = 0; i < claims.Length; i++)
        {
            if (claims[i].Claim is { } claim)
            {
                cards[i] = claim.Card;
                continue;
            }

            complete = false;
            dropped += claims[i].Failed ? 0 : 1;
        }

        // A NAT that changed since enqueue can also break a pair; requeued with fresh cards, the matcher will
        // not pair them again.
        if (!complete || !EveryPairIsDirect(cards))
        {
            Log.MatchAbandoned(logger, Code, dropped);
            Release(proposal, mode, claims);
            return;
        }

        _spec = new LobbySpec(mode, cards.Length);
        _listed = false;
        _hostId = cards[0].PlayerId;
        foreach (var card in cards)
        {
            _members[card.PlayerId] = card;
        }

        metrics.SessionOpened();
        var now = clock.GetUtcNow();
        metrics.MatchFormed(mode, proposal.Tickets.Select(t => now - t.EnqueuedAt));
        Log.Matched(logger, Code, cards.Length, mode);
        Push(claims, cards, now + options.Value.IntroductionLifetime);
    }

    /// <summary>One message per gateway node, carrying Matched and the introductions of each of its players.</summary>
    private void Push((MatchClaim? Claim, bool Failed)[] claims, PeerCard[] cards, DateTimeOffset expiresAt)
    {
        var players = cards.Select(c => c.PlayerId).ToImmutableArray();
        var introductions = MeshIntroductions(cards, expiresAt);
        var byGateway = new Dictionary<GrainId, (IGatewayPush Gateway, ImmutableArray<MatchPush>.Builder Pushes)>();
        for (var i = 0; i < claims.Length; i++)
        {
            var claim = claims[i].Claim!;
            var gatewayId = claim.Gateway.GetGrainId();
            if (!byGateway.TryGetValue(gatewayId, out var batch))
            {
                byGateway[gatewayId] = batch = (claim.Gateway, ImmutableArray.CreateBuilder<MatchPush>());
            }

            batch.Pushes.Add(new MatchPush(claim.Target, Code, players, introductions[i].MoveToImmutable()));
        }

        foreach (var (gateway, pushes) in byGateway.Values)
        {
            gateway.StartMatchesAsync(pushes.ToImmutable()).Ignore();
        }
    }

    private async Task<(MatchClaim? Claim, bool Failed)> ClaimAsync(QueueTicket ticket)
    {
        try
        {
            return (await GrainFactory.GetGrain<IPlayerGrain>(ticket.Card.PlayerId).ClaimMatchAsync(ticket.TicketId, Code), false);
        }
        catch (Exception exception) when (exception is TimeoutException or OrleansException)
        {
            // The player grain could not answer (its silo went away): the claim may or may not have happened,
            // which the release sorts out, so the ticket is never lost.
            Log.ClaimFailed(logger, Code, exception);
            return (null, true);
        }
    }

    /// <summary>
    /// The match falls through: every player that was (or may have been) claimed is released, and each puts its
    /// own ticket back at the front of the queue, so one that left meanwhile is not put back.
    /// </summary>
    private void Release(MatchProposal proposal, string mode, (MatchClaim? Claim, bool Failed)[] claims)
    {
        metrics.MatchRequeued(mode);
        for (var i = 0; i < claims.Length; i++)
        {
            if (claims[i].Claim is not null || claims[i].Failed)
            {
                var ticket = proposal.Tickets[i];
                GrainFactory.GetGrain<IPlayerGrain>(ticket.Card.PlayerId).ReleaseMatchAsync(Code, ticket.TicketId, proposal.QueueKey).Ignore();
            }
        }

        this.DeactivateOnIdle();
    }

    public async Task<bool> RestoreHostAsync(PeerCard host, LobbySpec spec)
    {
        if (_spec is not null && _hostId != host.PlayerId)
        {
            Log.RestoreRefused(logger, Code);
            return false;
        }

        if (_spec is null)
        {
            _spec = spec;
            _hostId = host.PlayerId;
            foreach (var waiting in _waiting.Values.Where(card => card.PlayerId != host.PlayerId).Take(spec.MaxPlayers - 1))
            {
                _members[waiting.PlayerId] = waiting;
            }

            _waiting.Clear();
            metrics.SessionOpened();
            Log.Restored(logger, Code, _members.Count + 1, spec.MaxPlayers);
        }

        _members[host.PlayerId] = host;
        // Every host heartbeat rewrites the index entry: a shard lost with its silo is refilled within one interval.
        await Index().UpsertAsync(Summary(_spec));
        return true;
    }

    public async Task<RestoreResult> RestoreMemberAsync(PeerCard member)
    {
        if (_spec is not { } spec)
        {
            if (_waiting.Count >= ProtocolLimits.MaxPlayers && !_waiting.ContainsKey(member.PlayerId))
            {
                return RestoreResult.Refused;
            }

            _waiting[member.PlayerId] = member;
            return RestoreResult.Pending;
        }

        if (_members.ContainsKey(member.PlayerId))
        {
            _members[member.PlayerId] = member;
            return RestoreResult.Restored;
        }

        if (_members.Count >= spec.MaxPlayers)
        {
            return RestoreResult.Refused;
        }

        _members[member.PlayerId] = member;
        await Index().UpsertAsync(Summary(spec));
        return RestoreResult.Restored;
    }

    public Task<LobbySummary?> GetSummaryAsync() => Task.FromResult(_spec is { } spec ? Summary(spec) : null);

    private async Task CloseAsync(string reason)
    {
        Log.Closed(logger, Code, reason);
        _spec = null;
        foreach (var member in _members.Keys)
        {
            GrainFactory.GetGrain<IPlayerGrain>(member).NotifyLobbyClosedAsync(Code, reason).Ignore();
        }

        _members.Clear();
        metrics.SessionClosed();
        if (_listed)
        {
            await Index().RemoveAsync(Code);
        }

        this.DeactivateOnIdle();
    }

    private static bool EveryPairIsDirect(PeerCard[] cards)
    {
        for (var i = 0; i < cards.Length; i++)
        {
            for (var j = i + 1; j < cards.Length; j++)
            {
                if (ConnectionPlanner.Plan(cards[i], cards[j]) is null)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>One introduction per pair, both halves with the same id, secret and method: a full mesh. Indexed like <paramref name="cards"/>.</summary>
    private ImmutableArray<Introduction>.Builder[] MeshIntroductions(PeerCard[] cards, DateTimeOffset expiresAt)
    {
        var byPlayer = new ImmutableArray<Introduction>.Builder[cards.Length];
        for (var i = 0; i < cards.Length; i++)
        {
            byPlayer[i] = ImmutableArray.CreateBuilder<Introduction>(cards.Length - 1);
        }

        for (var i = 0; i < cards.Length; i++)
        {
            for (var j = i + 1; j < cards.Length; j++)
            {
                var a = cards[i];
                var b = cards[j];
                var method = ConnectionPlanner.Plan(a, b)!.Value;
                var id = Guid.NewGuid();
                var secret = RandomNumberGenerator.GetBytes(ProtocolLimits.SecretLength);
                byPlayer[i].Add(new Introduction(id, Code, b, secret, method, expiresAt, PeerIsHost: b.PlayerId == _hostId));
                byPlayer[j].Add(new Introduction(id, Code, a, secret, method, expiresAt, PeerIsHost: a.PlayerId == _hostId));
            }
        }

        return byPlayer;
    }

    private LobbySummary Summary(LobbySpec spec) => new(Code, spec.Name, _members.Count, spec.MaxPlayers);

    private ILobbyIndexGrain Index() => GrainFactory.GetGrain<ILobbyIndexGrain>(LobbyIndexShards.ShardOf(Code));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Lobby {Code} opened for {MaxPlayers} players")]
        public static partial void Opened(ILogger logger, string code, int maxPlayers);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Lobby {Code} now has {Players}/{MaxPlayers} players")]
        public static partial void Joined(ILogger logger, string code, int players, int maxPlayers);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Lobby {Code} closed: {Reason}")]
        public static partial void Closed(ILogger logger, string code, string reason);

        [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "Lobby {Code} formed by the {Mode} queue with {Players} players")]
        public static partial void Matched(ILogger logger, string code, int players, string mode);

        [LoggerMessage(EventId = 1111, Level = LogLevel.Information, Message = "Queue match {Code} abandoned: {Dropped} player(s) dropped before introduction; the rest go back to the queue")]
        public static partial void MatchAbandoned(ILogger logger, string code, int dropped);

        [LoggerMessage(EventId = 1112, Level = LogLevel.Warning, Message = "Queue match {Code} could not claim a ticket; the match is released")]
        public static partial void ClaimFailed(ILogger logger, string code, Exception exception);

        [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Lobby {Code} reopened by its host's heartbeat with {Players}/{MaxPlayers} players")]
        public static partial void Restored(ILogger logger, string code, int players, int maxPlayers);

        [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Lobby {Code} is open under another host; a restated claim to it was refused")]
        public static partial void RestoreRefused(ILogger logger, string code);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Join to lobby {Code} refused: no direct path and no relay node available")]
        public static partial void RelayRequired(ILogger logger, string code);

        [LoggerMessage(EventId = 1190, Level = LogLevel.Information, Message = "Join to lobby {Code} refused: a player of a pair with no direct path holds its cluster-wide relay allocation cap")]
        public static partial void RelayQuotaReached(ILogger logger, string code);
    }
}
