using System.Collections.Immutable;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Relay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Matchmaker.Grains;

/// <summary>
/// A relay node as the cluster sees it: soft state restated by every heartbeat. Reserving mints the pair's
/// tokens from the node's secret, so the node itself learns of an allocation only when a player binds.
/// When heartbeats stop for <see cref="RelayDirectoryOptions.DeadAfter"/>, the node is dropped from the
/// registry and every player holding one of its reservations is told (relay-lost); flows cannot move to
/// another node mid-game because the other node holds no state for them, so failing clearly is the honest answer.
/// It also settles the players' cluster-wide caps (<see cref="IRelayQuotaGrain"/>) for its reservations:
/// given back when the node reports the allocation closed, when nobody bound it within
/// <see cref="RelayDirectoryOptions.BindWindow"/> (then the node is told to revoke it), or when the node is lost.
/// </summary>
public sealed partial class RelayNodeGrain(
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<RelayDirectoryOptions> options,
    ILogger<RelayNodeGrain> logger) : Grain, IRelayNodeGrain
{
    private readonly RelayDirectoryOptions _options = options.Value;
    private readonly Dictionary<Guid, Reservation> _reservations = [];
    private RelayNodeStatus? _status;
    private DateTimeOffset _lastHeartbeat;
    private int _reservedSinceHeartbeat;
    private IGrainTimer? _watchdog;

    private string NodeId => this.GetPrimaryKeyString();

    public Task<ImmutableArray<Guid>> HeartbeatAsync(RelayNodeStatus status)
    {
        if (_status is null)
        {
            Log.NodeUp(logger, NodeId, status.Endpoint, status.Capacity);
        }

        _status = status;
        _lastHeartbeat = clock.GetUtcNow();
        _reservedSinceHeartbeat = 0;
        // Not interleaved: a heartbeat arriving while the watchdog fails the node must wait for it, or the
        // failure would drop the node from the registry after the heartbeat had put it back.
        _watchdog ??= this.RegisterGrainTimer(
            CheckAliveAsync,
            new GrainTimerCreationOptions(_options.DeadAfter / 3, _options.DeadAfter / 3) { KeepAlive = true, Interleave = false });
        Settle(status);
        var revoked = Withdraw(_lastHeartbeat);
        Prune(_lastHeartbeat);
        Report();
        return Task.FromResult(revoked);
    }

    public Task<RelayReservation?> ReserveAsync(RelayRequest request)
    {
        var now = clock.GetUtcNow();
        if (_status is not { } status || now - _lastHeartbeat > _options.DeadAfter || Load >= status.Capacity)
        {
            return Task.FromResult<RelayReservation?>(null);
        }

        Prune(now);
        var expiresAt = now + _options.AllocationLifetime;
        var allocationId = Guid.NewGuid();
        var expires = (uint)Math.Min(uint.MaxValue, expiresAt.ToUnixTimeSeconds());
        var forA = Pass(status, new RelayToken(allocationId, 0, expires, RelayToken.TagOf(request.PlayerA)));
        var forB = Pass(status, new RelayToken(allocationId, 1, expires, RelayToken.TagOf(request.PlayerB)));
        _reservations[allocationId] = new Reservation(request, expiresAt, now + _options.BindWindow, Bound: false);
        _reservedSinceHeartbeat++;
        Report();
        return Task.FromResult<RelayReservation?>(new RelayReservation(NodeId, forA, forB));
    }

    public async Task LeaveAsync()
    {
        if (_status is not null)
        {
            await FailAsync("stopped");
        }
    }

    /// <summary>Allocations the node holds plus those handed out since it last said so (not yet bound, or not yet reported).</summary>
    private int Load => (_status?.Active ?? 0) + _reservedSinceHeartbeat;

    private async Task CheckAliveAsync(CancellationToken cancellationToken)
    {
        if (_status is not null && clock.GetUtcNow() - _lastHeartbeat > _options.DeadAfter)
        {
            await FailAsync("missed heartbeats");
        }
    }

    private async Task FailAsync(string why)
    {
        Log.NodeLost(logger, NodeId, why, _reservations.Count);
        _status = null;
        _watchdog?.Dispose();
        _watchdog = null;
        await GrainFactory.GetGrain<IRelayRegistryGrain>(0).RemoveAsync(NodeId);
        Prune(clock.GetUtcNow());
        foreach (var (request, _, _, _) in _reservations.Values)
        {
            GrainFactory.GetGrain<IPlayerGrain>(request.PlayerA).NotifyRelayLostAsync(request.IntroductionId).Ignore();
            GrainFactory.GetGrain<IPlayerGrain>(request.PlayerB).NotifyRelayLostAsync(request.IntroductionId).Ignore();
            RelayQuota.Release(GrainFactory, request);
        }

        _reservations.Clear();
        this.DeactivateOnIdle();
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (id, reservation) in _reservations)
        {
            if (reservation.ExpiresAt <= now)
            {
                _reservations.Remove(id);
                RelayQuota.Release(GrainFactory, reservation.Request);
            }
        }
    }

    /// <summary>What the node says opened (first bind) and closed since its last acknowledged heartbeat.</summary>
    private void Settle(RelayNodeStatus status)
    {
        // Ids this grain does not know (it was lost with its silo and came back empty) are left alone: their
        // quota entries lapse with their tokens.
        foreach (var id in status.Opened.IsDefault ? [] : status.Opened)
        {
            if (_reservations.TryGetValue(id, out var reservation))
            {
                _reservations[id] = reservation with { Bound = true };
            }
        }

        foreach (var id in status.Closed.IsDefault ? [] : status.Closed)
        {
            if (_reservations.Remove(id, out var reservation))
            {
                RelayQuota.Release(GrainFactory, reservation.Request);
            }
        }
    }

    /// <summary>Reservations nobody bound in time: given back to the players, and revoked at the node in case a bind is still on its way.</summary>
    private ImmutableArray<Guid> Withdraw(DateTimeOffset now)
    {
        var revoked = ImmutableArray.CreateBuilder<Guid>();
        foreach (var (id, reservation) in _reservations)
        {
            if (!reservation.Bound && reservation.BindBy <= now)
            {
                _reservations.Remove(id);
                RelayQuota.Release(GrainFactory, reservation.Request);
                revoked.Add(id);
            }
        }

        return revoked.ToImmutable();
    }

    private void Report()
    {
        if (_status is { } status)
        {
            GrainFactory.GetGrain<IRelayRegistryGrain>(0).ReportAsync(new RelayNodeLoad(NodeId, status.Capacity, Load)).Ignore();
        }
    }

    private static RelayPass Pass(RelayNodeStatus status, RelayToken token)
    {
        var bytes = token.ToArray();
        return new RelayPass(status.Endpoint, bytes, RelayToken.DeriveKey(status.Secret, bytes));
    }

    private readonly record struct Reservation(RelayRequest Request, DateTimeOffset ExpiresAt, DateTimeOffset BindBy, bool Bound);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Relay node {NodeId} up at {Endpoint} for {Capacity} allocations")]
        public static partial void NodeUp(ILogger logger, string nodeId, System.Net.IPEndPoint endpoint, int capacity);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Relay node {NodeId} lost ({Why}); failing {Reservations} reservations")]
        public static partial void NodeLost(ILogger logger, string nodeId, string why, int reservations);
    }
}
