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
/// and ends when its host leaves or is lost.
/// </summary>
public sealed partial class SessionGrain(
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<LobbyOptions> options,
    GrainMetrics metrics,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    private readonly Dictionary<Guid, PeerCard> _members = [];
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

            var reservation = await GrainFactory.GetGrain<IRelayDirectoryGrain>(0).ReserveAsync(new RelayRequest(id, joiner.PlayerId, member.PlayerId));
            if (reservation is null)
            {
                Log.RelayRequired(logger, Code);
                return LobbyResult.Failed(LobbyStatus.RelayRequired);
            }

            plans[member.PlayerId] = (ConnectMethod.Relay, id, reservation);
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

        [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Join to lobby {Code} refused: no direct path and no relay node available")]
        public static partial void RelayRequired(ILogger logger, string code);
    }
}
