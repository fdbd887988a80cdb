using System.Collections.Immutable;
using System.Diagnostics;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Relay;
using Matchmaker.Tests.Relay;

namespace Matchmaker.Tests.Cluster;

/// <summary>
/// The cluster's side of relaying, asked the way a session asks it (the relay directory through a silo),
/// and the players' side done at byte level against the relay process: bind both sides of a reservation
/// the cluster made and pass a frame each way. On loopback the connection planner never picks a relay
/// (same-IP players are <c>lan</c>), so this is how a relayed flow crosses the real processes here.
/// </summary>
internal static class ClusterRelay
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The live nodes the registry lists; empty while no silo answers.</summary>
    public static async Task<ImmutableArray<RelayNodeLoad>> LiveNodesAsync(IGrainFactory grains)
    {
        try
        {
            return await grains.GetGrain<IRelayRegistryGrain>(0).GetNodesAsync();
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException)
        {
            return [];
        }
    }

    /// <summary>Polls the registry until <paramref name="condition"/> holds; returns the nodes then and how long it took, or null at the deadline.</summary>
    public static async Task<(ImmutableArray<RelayNodeLoad> Nodes, TimeSpan Elapsed)?> NodesUntilAsync(
        IGrainFactory grains, Func<ImmutableArray<RelayNodeLoad>, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var nodes = await LiveNodesAsync(grains);
            if (condition(nodes))
            {
                return (nodes, clock.Elapsed);
            }

            await Task.Delay(PollInterval);
        }

        return null;
    }

    /// <summary>A reservation from the directory for two made-up players (the node learns of it only when they bind).</summary>
    public static async Task<RelayReservation?> ReserveAsync(IGrainFactory grains) =>
        (await grains.GetGrain<IRelayDirectoryGrain>(0).ReserveAsync(new RelayRequest(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()))).Reservation;

    /// <summary>Polls the directory until it has no node to offer (its cached list is at most a second old), within <paramref name="timeout"/>.</summary>
    public static async Task<bool> NoReservationWithinAsync(IGrainFactory grains, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await ReserveAsync(grains) is null)
            {
                return true;
            }

            await Task.Delay(PollInterval);
        }

        return false;
    }

    /// <summary>
    /// Binds both sides of <paramref name="reservation"/> at its node and passes one frame each way; returns
    /// what each side received (null for nothing within the timeout).
    /// </summary>
    public static async Task<(string? AtB, string? AtA)> ExchangeAsync(RelayReservation reservation)
    {
        using var a = new RelayTestClient(reservation.ForA.Endpoint, Ticket(reservation.ForA));
        using var b = new RelayTestClient(reservation.ForB.Endpoint, Ticket(reservation.ForB));
        var boundA = await a.BindAsync();
        var boundB = await b.BindAsync();
        if (boundA.Handle is null || boundB.Handle is null)
        {
            throw new InvalidOperationException($"bind answered {boundA} and {boundB}");
        }

        a.SendFrame("from a"u8);
        var atB = await b.ReceiveAsync(TimeSpan.FromSeconds(5));
        b.SendFrame("from b"u8);
        var atA = await a.ReceiveAsync(TimeSpan.FromSeconds(5));
        return (Payload(atB), Payload(atA));
    }

    public static RelayTicket Ticket(RelayPass pass) => new(pass.Endpoint, pass.Token, pass.Key);

    private static string? Payload(byte[]? frame) =>
        frame is not null && RelayFrame.TryRead(frame, out _, out var payload) ? System.Text.Encoding.UTF8.GetString(payload) : null;
}
