using System.Net;
using Matchmaker.Grains;
using Matchmaker.Grains.Models;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Gateway;

/// <summary>
/// While a player's presence is unchanged the gateway sends its grain a digest instead of the presence.
/// Over real UDP against the real silo: a changed presence still reaches the grain, a lost grain is rebuilt
/// by the next heartbeat, lobby claim included, and heartbeats keep answering with the interval.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class HeartbeatDigestTests(SiloFixture silo)
{
    private static readonly IPEndPoint LanA = new(IPAddress.Parse("10.1.0.2"), 40001);
    private static readonly IPEndPoint LanB = new(IPAddress.Parse("10.1.0.3"), 40002);

    [Fact]
    public async Task A_heartbeat_that_changes_the_presence_reaches_the_grain_after_unchanged_ones()
    {
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.21.1"));
        var (player, key) = await RawControl.RegisterAsync(socket);

        await HeartbeatAsync(socket, player, key, LanA);
        await HeartbeatAsync(socket, player, key, LanA);
        var before = await PlayerCards.CurrentAsync(silo.Grains.GetGrain<IPlayerGrain>(player));
        await HeartbeatAsync(socket, player, key, LanB);
        var after = await PlayerCards.CurrentAsync(silo.Grains.GetGrain<IPlayerGrain>(player));

        Assert.Equal(new[] { LanA }, before.LanEndpoints.ToArray());
        Assert.Equal(new[] { LanB }, after.LanEndpoints.ToArray());
    }

    [Fact]
    public async Task A_lost_player_grain_is_rebuilt_with_its_lobby_by_the_next_unchanged_heartbeat()
    {
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.21.2"));
        var (player, key) = await RawControl.RegisterAsync(socket);
        var code = await HostAsync(socket, player, key, "digest", 3);
        var claim = new Claim(code, "digest", 3);
        await HeartbeatAsync(socket, player, key, LanA, claim);
        await HeartbeatAsync(socket, player, key, LanA, claim);

        var management = silo.Grains.GetGrain<IManagementGrain>(0);
        await management.DeactivateGrain(silo.Grains.GetGrain<IPlayerGrain>(player).GetGrainId());
        await management.DeactivateGrain(silo.Grains.GetGrain<ISessionGrain>(code).GetGrainId());
        await HeartbeatAsync(socket, player, key, LanA, claim);

        var status = await silo.Grains.GetGrain<IPlayerGrain>(player).GetStatusAsync();
        Assert.True(status.Registered);
        Assert.Equal(code, status.LobbyCode);
        Assert.Equal(new LobbySummary(code, "digest", 1, 3), await silo.Grains.GetGrain<ISessionGrain>(code).GetSummaryAsync());
        Assert.Equal(new[] { LanA }, (await PlayerCards.CurrentAsync(silo.Grains.GetGrain<IPlayerGrain>(player))).LanEndpoints.ToArray());
    }

    private sealed record Claim(string Code, string Name, int MaxPlayers);

    /// <summary>Sends one heartbeat, as the SDK shapes it, and checks its signed answer names the heartbeat interval.</summary>
    private static async Task HeartbeatAsync(RawStunSocket socket, Guid player, byte[] key, IPEndPoint lan, Claim? claim = null)
    {
        var datagram = await AnswerAsync(socket, RawControl.Signed(StunMethods.Heartbeat, player, key, (ref StunMessageWriter w) =>
        {
            w.AppendUInt32(StunAttributeType.NatCapabilities, 0);
            w.AppendXorAddress(StunAttributeType.LanEndpoint, lan);
            if (claim is not null)
            {
                w.AppendString(StunAttributeType.LobbyCode, claim.Code, 32);
                w.AppendString(StunAttributeType.LobbyName, claim.Name, ProtocolLimits.MaxLobbyNameBytes);
                w.AppendUInt32(StunAttributeType.MaxPlayers, (uint)claim.MaxPlayers);
            }
        }));
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var reply));
        Assert.Equal(StunClass.SuccessResponse, reply.Type.Class);
        Assert.True(reply.HasValidMessageIntegritySha256(key));
        Assert.True(reply.TryGetUInt32(StunAttributeType.HeartbeatInterval, out var interval) && interval > 0);
    }

    private static async Task<string> HostAsync(RawStunSocket socket, Guid player, byte[] key, string name, int maxPlayers)
    {
        var datagram = await AnswerAsync(socket, RawControl.Signed(StunMethods.Host, player, key, (ref StunMessageWriter w) =>
        {
            w.AppendString(StunAttributeType.LobbyName, name, ProtocolLimits.MaxLobbyNameBytes);
            w.AppendUInt32(StunAttributeType.MaxPlayers, (uint)maxPlayers);
        }));
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(datagram, out var reply));
        Assert.True(reply.TryGetAttribute(StunAttributeType.LobbyEntry, out ReadOnlySpan<byte> entry));
        Assert.True(LobbyEntryAttribute.TryRead(entry, out var lobby));
        return lobby.Code;
    }

    /// <summary>The answer to this request, passing over pushes (introductions) that arrive before it.</summary>
    private static async Task<byte[]> AnswerAsync(RawStunSocket socket, byte[] request)
    {
        socket.Send(request);
        while (true)
        {
            var (datagram, _) = await socket.ReceiveAsync();
            if (datagram.Length >= StunHeader.Length && datagram.AsSpan(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength)
                .SequenceEqual(request.AsSpan(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength)))
            {
                return datagram;
            }
        }
    }
}
