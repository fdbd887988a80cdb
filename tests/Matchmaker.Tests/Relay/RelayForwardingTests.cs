using System.Net;
using System.Text;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Relay;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Relay;

/// <summary>
/// Forwarding over real loopback sockets: only between the two endpoints that proved the allocation's
/// tokens, never for a third host, whatever it forges or replays.
/// </summary>
public sealed class RelayForwardingTests
{
    private static readonly IPAddress Third = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task Two_bound_sides_exchange_frames_both_ways_with_the_receivers_handle()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (a, b) = await relay.PairAsync();
        using (a)
        using (b)
        {
            a.SendFrame("from a"u8);
            b.SendFrame("from b"u8);

            var atB = Assert.Single(await b.BarrierAsync());
            var atA = Assert.Single(await a.BarrierAsync());
            Assert.True(RelayFrame.TryRead(atB, out var handleAtB, out var payloadAtB));
            Assert.True(RelayFrame.TryRead(atA, out var handleAtA, out var payloadAtA));
            Assert.Equal("from a", Encoding.UTF8.GetString(payloadAtB));
            Assert.Equal("from b", Encoding.UTF8.GetString(payloadAtA));
            Assert.Equal(b.Handle, handleAtB);
            Assert.Equal(a.Handle, handleAtA);
            Assert.Equal(2, relay.Metrics.ForwardedPackets);
        }
    }

    [Fact]
    public async Task A_frame_before_the_other_side_binds_goes_nowhere()
    {
        await using var relay = await RelayHarness.StartAsync();
        var allocation = Guid.NewGuid();
        using var a = new RelayTestClient(relay.Endpoint, relay.Ticket(allocation, 0, Guid.NewGuid()));
        Assert.NotNull((await a.BindAsync()).Handle);

        a.SendFrame("early"u8);
        await a.BarrierAsync();

        Assert.Equal(1, relay.Metrics.Read(RelayDropReason.PeerUnbound));
    }

    [Fact]
    public async Task A_token_with_a_forged_key_binds_nothing_and_gets_no_answer()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (a, b) = await relay.PairAsync();
        using var attacker = new RelayTestClient(relay.Endpoint, relay.Ticket(Guid.NewGuid(), 0, Guid.NewGuid()), Third);
        await attacker.BindAsync();
        using (a)
        using (b)
        {
            // The victim's allocation, the other side's token, but a key the attacker had to guess.
            var forged = new RelayTicket(relay.Endpoint, b.Ticket.Token, new byte[RelayToken.KeyLength]);
            var buffer = new byte[256];
            attacker.Send(buffer.AsSpan(0, RelayBindMessages.WriteRequest(buffer, forged.Token, forged.Key, new byte[12])));

            // A token edited to name another player, signed with the key of the original.
            Assert.True(RelayToken.TryRead(b.Ticket.Token, out var token));
            var edited = (token with { PlayerTag = token.PlayerTag + 1 }).ToArray();
            attacker.Send(buffer.AsSpan(0, RelayBindMessages.WriteRequest(buffer, edited, b.Ticket.Key, new byte[12])));

            Assert.Empty(await attacker.BarrierAsync());
            Assert.Equal(2, relay.Metrics.Read(RelayDropReason.Unauthenticated));
            a.SendFrame("still private"u8);
            Assert.Single(await b.BarrierAsync());
            Assert.Empty(await attacker.BarrierAsync());
        }
    }

    [Fact]
    public async Task A_bind_replayed_from_another_host_does_not_take_the_side_over()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (a, b) = await relay.PairAsync();
        using var attacker = new RelayTestClient(relay.Endpoint, relay.Ticket(Guid.NewGuid(), 0, Guid.NewGuid()), Third);
        await attacker.BindAsync();
        using (a)
        using (b)
        {
            // Captured on the wire: b's exact, validly signed bind, sent again from the third host.
            attacker.Send(b.LastBindRequest);
            Assert.Empty(await attacker.BarrierAsync());
            Assert.Equal(1, relay.Metrics.Read(RelayDropReason.WrongSource));

            a.SendFrame("for b only"u8);
            Assert.Single(await b.BarrierAsync());
            Assert.Empty(await attacker.BarrierAsync());
        }
    }

    [Fact]
    public async Task Frames_from_a_third_host_with_a_stolen_handle_are_dropped()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (a, b) = await relay.PairAsync();
        using var attacker = new RelayTestClient(relay.Endpoint, relay.Ticket(Guid.NewGuid(), 0, Guid.NewGuid()), Third);
        await attacker.BindAsync();
        using (a)
        using (b)
        {
            attacker.SendFrame("spoofed"u8, a.Handle);
            attacker.SendFrame("spoofed"u8, b.Handle);
            attacker.SendFrame("guessed"u8, a.Handle ^ (1u << 20));
            await attacker.BarrierAsync();

            Assert.Equal(2, relay.Metrics.Read(RelayDropReason.WrongSource));
            Assert.Equal(1, relay.Metrics.Read(RelayDropReason.UnknownHandle));
            Assert.Empty(await a.BarrierAsync());
            Assert.Empty(await b.BarrierAsync());
        }
    }

    [Fact]
    public async Task The_same_token_from_a_new_port_on_the_same_address_moves_the_side()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (a, b) = await relay.PairAsync();
        using (a)
        using (b)
        {
            // A symmetric NAT rebuilt its mapping: the same player, the same IP, a new port.
            using var moved = new RelayTestClient(relay.Endpoint, b.Ticket);
            Assert.Equal(b.Handle, (await moved.BindAsync()).Handle);

            a.SendFrame("to the new port"u8);
            Assert.Single(await moved.BarrierAsync());
            b.SendFrame("from the old port"u8);
            await b.BarrierAsync();
            Assert.Equal(1, relay.Metrics.Read(RelayDropReason.WrongSource));
            Assert.Empty(await a.BarrierAsync());
        }
    }

    [Fact]
    public async Task Bytes_that_are_neither_frame_nor_bind_are_dropped_as_malformed_without_an_answer()
    {
        await using var relay = await RelayHarness.StartAsync();
        using var client = new RelayTestClient(relay.Endpoint, relay.Ticket(Guid.NewGuid(), 0, Guid.NewGuid()));
        await client.BindAsync();

        client.Send([0x4D, 0x01, 0xFF]);
        client.Send(RawStunSocket.BindingRequest());
        client.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n"));

        Assert.Empty(await client.BarrierAsync());
        Assert.Equal(3, relay.Metrics.Read(RelayDropReason.Malformed));
    }

    [Fact]
    public async Task A_node_that_does_not_allow_loopback_refuses_a_loopback_bind_silently()
    {
        await using var relay = await RelayHarness.StartAsync(options => options.AllowLoopback = false);
        using var client = new RelayTestClient(relay.Endpoint, relay.Ticket(Guid.NewGuid(), 0, Guid.NewGuid()));

        var answer = await client.BindAsync(TimeSpan.FromMilliseconds(500));

        Assert.Equal((null, null), answer);
        Assert.Equal(1, await Eventually.ReachesAsync(() => Task.FromResult(relay.Metrics.Read(RelayDropReason.ForbiddenAddress)), n => n == 1));
        Assert.Equal(0, relay.Table.Count);
    }
}
