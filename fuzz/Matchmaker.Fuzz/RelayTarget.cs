using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;
using Matchmaker.Relay;

namespace Matchmaker.Fuzz;

/// <summary>
/// The relay node's per-datagram entry point (<c>RelayForwarder.Handle</c>, what the receive loop calls):
/// data frames (0x4D) forwarded by handle, and RelayBind requests checked and answered, over real
/// loopback UDP. Every run starts from a fresh allocation table holding one allocation whose two sides
/// are bound by senders A and B; the input arrives from A, B or a third host C (last transaction-id
/// byte, which is also a frame's 12th payload byte, modulo 3). Like the control target, the input also
/// runs resealed — its token's key derived from the node's secret — so the bind path behind the
/// integrity check sees mutated tokens. What comes back out is checked too: an answer to the sender is
/// never more than 3× the datagram, a forwarded frame is exactly as long as the one received.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The sockets live as long as the fuzzing process; the OS reclaims them at exit.")]
internal sealed class RelayTarget : IFuzzTarget
{
    private const int SelectorOffset = StunHeader.TransactionIdOffset + StunHeader.TransactionIdLength - 1;

    // UdpReceiveLoop's buffers: a longer datagram fails the receive and never reaches the forwarder.
    private const int ReceiveBufferLength = 2048;
    private const int SendBufferLength = 1500;

    /// <summary>Sent by the relay socket after each input: not a frame (too short) nor STUN, so it cannot be confused with output.</summary>
    private static readonly byte[] Marker = [0xFF];
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly Guid Allocation = new("5e1a7000-0000-4000-8000-0000000000a1");
    private static readonly Guid PlayerA = new("5e1a7000-0000-4000-8000-00000000000a");
    private static readonly Guid PlayerB = new("5e1a7000-0000-4000-8000-00000000000b");

    /// <summary>The node's token secret, fixed so the binds in the checked-in corpus verify on every run.</summary>
    private static readonly byte[] NodeSecret = Enumerable.Repeat((byte)0x5E, 32).ToArray();

    private readonly FixedClock _clock = new(Now);
    private readonly byte[] _datagram = new byte[ReceiveBufferLength];
    private readonly byte[] _resealed = new byte[ProtocolLimits.MaxDatagram + 64];
    private readonly byte[] _send = new byte[SendBufferLength];
    private readonly byte[] _received = new byte[ReceiveBufferLength];
    // Built on the first input, inside SharpFuzz's loop: instrumented code (the relay assembly) run
    // before it has mapped afl's coverage area would write through a null pointer.
    private RelayOptions? _options;
    private RelaySecret? _secret;
    private RelayMetrics? _metrics;
    private Socket? _relay;
    private Socket[] _senders = [];
    private SocketAddress[] _addresses = [];
    private SocketAddress? _scratch;

    public string Name => "relay";

    /// <summary>The handles the fresh table gives the pre-bound allocation's sides (slot 0, generation 1).</summary>
    private static uint HandleA => RelayHandles.Make(1, 0, 0);

    private static uint HandleB => RelayHandles.Make(1, 0, 1);

    public IEnumerable<(string Name, byte[] Datagram)> Seeds()
    {
        // Frames: the payload's 12th byte is the transaction id's last, so it picks the sender as for STUN.
        yield return ("frame-a-to-b", Frame(HandleA, sender: 0));
        yield return ("frame-b-to-a", Frame(HandleB, sender: 1));
        yield return ("frame-third-host", Frame(HandleA, sender: 2));
        yield return ("frame-unknown-handle", Frame(RelayHandles.Make(7, 3, 1), sender: 0));
        yield return ("bind-again", Bind(Token(Allocation, 0, PlayerA), sender: 0));
        yield return ("bind-moved-port", Bind(Token(Allocation, 1, PlayerB), sender: 2));
        yield return ("bind-new-allocation", Bind(Token(new Guid("5e1a7000-0000-4000-8000-0000000000a2"), 0, PlayerA), sender: 2));
        yield return ("bind-expired", Bind(Token(Allocation, 0, PlayerA, lifetimeSeconds: -1), sender: 0));
        yield return ("bind-forged-key", Bind(Token(Allocation, 0, PlayerA), sender: 0, key: new byte[RelayToken.KeyLength]));
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        EnsureStarted();
        RunOnce(input);
        var length = Resealer.Reseal(input, _resealed, (unsigned, key) =>
        {
            // The node drops a token of any other length as malformed before it looks at the MAC (and
            // DeriveKey takes only a token of this length), so there is nothing behind a reseal to reach.
            if (!unsigned.TryGetAttribute(StunAttributeType.RelayToken, out ReadOnlySpan<byte> token) || token.Length != RelayToken.Length)
            {
                return false;
            }

            RelayToken.DeriveKey(NodeSecret, token, key);
            return true;
        });
        if (length > 0)
        {
            RunOnce(_resealed.AsSpan(0, length));
        }
    }

    private void RunOnce(ReadOnlySpan<byte> input)
    {
        if (input.Length > ReceiveBufferLength)
        {
            return;
        }

        var table = new RelayAllocationTable(_options!, _metrics!, _clock);
        if (table.Bind(Token(Allocation, 0, PlayerA), _addresses[0]).Refused is not null
            || table.Bind(Token(Allocation, 1, PlayerB), _addresses[1]).Refused is not null)
        {
            throw new InvalidOperationException("The harness's own allocation did not bind.");
        }

        var sender = input.Length > SelectorOffset ? input[SelectorOffset] % 3 : 0;
        var datagram = _datagram.AsSpan(0, input.Length);
        input.CopyTo(datagram);
        new RelayForwarder(_options!, table, _metrics!, _secret!).Handle(_relay!, datagram, _addresses[sender], _send);

        // Loopback keeps one sender's datagrams in order: whatever the relay sent arrives before its marker.
        for (var i = 0; i < _senders.Length; i++)
        {
            _relay!.SendTo(Marker, SocketFlags.None, _addresses[i]);
            while (true)
            {
                var received = _senders[i].ReceiveFrom(_received, SocketFlags.None, _scratch!);
                if (received == Marker.Length && _received[0] == Marker[0])
                {
                    break;
                }

                if (i == sender && received > input.Length * ProtocolLimits.AmplificationFactor)
                {
                    throw new InvalidOperationException($"The relay answered {input.Length} bytes with {received}.");
                }

                if (i != sender && received != input.Length)
                {
                    throw new InvalidOperationException($"The relay forwarded {received} bytes of a {input.Length}-byte frame.");
                }
            }
        }
    }

    private static RelayToken Token(Guid allocation, byte side, Guid player, int lifetimeSeconds = 3600) =>
        new(allocation, side, (uint)(Now.ToUnixTimeSeconds() + lifetimeSeconds), RelayToken.TagOf(player));

    private static byte[] Frame(uint handle, int sender)
    {
        var payload = "relayed payload!"u8.ToArray();
        payload[SelectorOffset - RelayFrame.HeaderLength] = (byte)sender;
        var frame = new byte[RelayFrame.HeaderLength + payload.Length];
        RelayFrame.Write(frame, handle, payload);
        return frame;
    }

    /// <summary>A RelayBind request as <c>RelayBindMessages.WriteRequest</c> builds it, with a chosen transaction id.</summary>
    private static byte[] Bind(RelayToken token, int sender, byte[]? key = null)
    {
        var tokenBytes = token.ToArray();
        var tid = new byte[StunHeader.TransactionIdLength];
        tid[^1] = (byte)sender;
        key ??= RelayToken.DeriveKey(NodeSecret, tokenBytes);
        return SeedWriter.Build(StunMethods.RelayBind, StunClass.Request, tid, (ref StunMessageWriter w) =>
        {
            w.Append(StunAttributeType.RelayToken, tokenBytes);
            w.AppendMessageIntegritySha256(key);
            w.AppendFingerprint();
        });
    }

    private void EnsureStarted()
    {
        if (_relay is not null)
        {
            return;
        }

        _options = new RelayOptions
        {
            Address = "127.0.0.1",
            Port = 0,
            AllowLoopback = true,
            NodeId = "fuzz",
            MaxAllocations = 4,
            MaxAllocationsPerPlayer = 2,
        };
        _secret = new RelaySecret(NodeSecret);
        _metrics = new RelayMetrics(new FuzzMeters());
        _relay = Loopback();
        _senders = [Loopback(), Loopback(), Loopback()];
        _addresses = [.. _senders.Select(s => s.LocalEndPoint!.Serialize())];
        _scratch = new SocketAddress(AddressFamily.InterNetwork);
    }

    private static Socket Loopback()
    {
        // The timeout turns a lost marker (impossible on loopback) into an exception rather than a hang.
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
