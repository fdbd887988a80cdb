using System.Collections.Immutable;
using System.Security.Cryptography;
using Matchmaker.Grains.Models;
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

    private string Code => this.GetPrimaryKeyString();

    public async Task<bool> OpenAsync(PeerCard host, LobbySpec spec)
    {
        if (_spec is not null)
        {
            return false;
        }

        _spec = spec;
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

        // Plan every pair before introducing anyone, so a refused join leaves no half-made introductions.
        var plans = _members.Values.ToDictionary(member => member.PlayerId, member => ConnectionPlanner.Plan(joiner, member));
        if (plans.Values.Any(plan => plan is null))
        {
            Log.RelayRequired(logger, Code);
            return LobbyResult.Failed(LobbyStatus.RelayRequired);
        }

        var expiresAt = clock.GetUtcNow() + options.Value.IntroductionLifetime;
        var introductions = ImmutableArray.CreateBuilder<Introduction>(_members.Count);
        foreach (var member in _members.Values.ToArray())
        {
            var method = plans[member.PlayerId]!.Value;
            var id = Guid.NewGuid();
            var secret = RandomNumberGenerator.GetBytes(ProtocolLimits.SecretLength);
            var toMember = new Introduction(id, Code, joiner, secret, method, expiresAt, PeerIsHost: false);
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
            introductions.Add(new Introduction(id, Code, current, secret, method, expiresAt, PeerIsHost: member.PlayerId == _hostId));
        }

        _members[joiner.PlayerId] = joiner;
        Log.Joined(logger, Code, _members.Count, spec.MaxPlayers);
        await Index().UpsertAsync(Summary(spec));
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

        await Index().UpsertAsync(Summary(spec));
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
        await Index().RemoveAsync(Code);
        this.DeactivateOnIdle();
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

        [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Lobby {Code} reopened by its host's heartbeat with {Players}/{MaxPlayers} players")]
        public static partial void Restored(ILogger logger, string code, int players, int maxPlayers);

        [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Lobby {Code} is open under another host; a restated claim to it was refused")]
        public static partial void RestoreRefused(ILogger logger, string code);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Join to lobby {Code} refused: no direct path and no relay yet")]
        public static partial void RelayRequired(ILogger logger, string code);
    }
}
