using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Matchmaker.Bench.Load;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Bench.Control;

/// <summary>
/// One socket on its own thread speaking the control protocol as the SDK does — the two-step register
/// (address cookie, then player id and key), signed heartbeats, host and join — with a fixed window of
/// requests in flight (closed loop). Many players share the socket: the gateway tells them apart by
/// player id, not by address. Pushes that joins cause are acknowledged, so the gateway does not resend them.
/// Heartbeats may instead be paced: every player heartbeats once per period, as real players do once per
/// interval, and a request waits for its due time (the window then only bounds what is in flight).
/// </summary>
internal sealed class ControlLoadWorker : IDisposable
{
    private const int ReceiveTimeoutMs = 20;
    private const int SlotIdOffset = StunHeader.TransactionIdLength - sizeof(ushort);

    private readonly Socket _socket;
    private readonly SocketAddress _target;
    private readonly SocketAddress _from;
    private readonly byte[] _send = new byte[ProtocolLimits.MaxDatagram];
    private readonly byte[] _receive = new byte[2048];
    private readonly byte[] _ack = new byte[64];
    private readonly Slot[] _slots;
    private readonly long _timeoutTicks;

    // The load generator shares the node's cores with the server, so it does no more than a client must:
    // transaction ids from a counter (unique, as RFC 8489 asks; no random draw per request), a count of
    // requests in flight instead of a scan, and the timeout sweep once a millisecond, not per datagram.
    private readonly long _sweepEveryTicks = Stopwatch.Frequency / 1000;
    private ulong _sequence = (ulong)Random.Shared.NextInt64() << 24;
    private int _inFlight;
    private int _waiting;

    public ControlLoadWorker(IPEndPoint target, int players, int window, TimeSpan timeout, bool paced = false)
    {
        // Paced, a request due while nothing arrives must not wait out a long receive timeout.
        _socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 22, SendBufferSize = 1 << 22, ReceiveTimeout = paced ? 1 : ReceiveTimeoutMs };
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _target = target.Serialize();
        _from = new SocketAddress(target.AddressFamily);
        Ids = new Guid[players];
        Keys = new byte[players][];
        _slots = Enumerable.Range(0, window).Select(_ => new Slot()).ToArray();
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }

    public Guid[] Ids { get; }

    public byte[][] Keys { get; }

    public LatencyHistogram Latency { get; private set; } = new();

    public long Completed { get; private set; }

    public long Lost { get; private set; }

    public long Errors { get; private set; }

    /// <summary>Registers every player of this worker; latency is that of the second step, the one that reaches a grain.</summary>
    public void Register(long deadline)
    {
        var next = 0;
        Loop(deadline, slot =>
        {
            if (slot.Step == 1)
            {
                return false;
            }

            if (next >= Ids.Length)
            {
                return false;
            }

            slot.Player = next++;
            slot.Step = 0;
            slot.Kind = StunMethods.Register;
            return true;
        });
    }

    /// <summary>
    /// Heartbeats round-robin over this worker's players until the deadline: back to back (closed loop), or with
    /// <paramref name="period"/> each player's heartbeats that far apart — the n-th heartbeat of the worker is due
    /// n × period ÷ players after the start, so player k heartbeats at k × period ÷ players + m × period.
    /// </summary>
    public void Heartbeat(long measureStart, long deadline, TimeSpan period = default)
    {
        var next = 0L;
        var start = Stopwatch.GetTimestamp();
        var periodTicks = period.TotalSeconds * Stopwatch.Frequency;
        Loop(deadline, slot =>
        {
            slot.Player = (int)(next % Ids.Length);
            slot.DueAt = period > TimeSpan.Zero ? start + (long)(next * periodTicks / Ids.Length) : 0;
            next++;
            slot.Kind = StunMethods.Heartbeat;
            return true;
        }, measureStart);
    }

    /// <summary>Pairs of players: the first hosts a lobby, the second joins it; each join is one measured operation.</summary>
    public void Join(long measureStart, long deadline)
    {
        var pair = 0;
        Loop(deadline, slot =>
        {
            if (slot.Kind == StunMethods.Host && slot.Code is not null)
            {
                slot.Kind = StunMethods.Join;
                slot.Player++;
                return true;
            }

            slot.Player = (pair++ * 2) % (Ids.Length - 1);
            slot.Kind = StunMethods.Host;
            slot.Code = null;
            return true;
        }, measureStart, StunMethods.Join);
    }

    /// <summary>Clears the counters between phases; players and keys stay.</summary>
    public void Reset()
    {
        Latency = new LatencyHistogram();
        Completed = 0;
        Lost = 0;
        Errors = 0;
    }

    public void Dispose() => _socket.Dispose();

    private void Loop(long deadline, Func<Slot, bool> next, long measureStart = 0, ushort measured = 0)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (next(_slots[i]))
            {
                Dispatch(i, Stopwatch.GetTimestamp());
            }
        }

        var lastSweep = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() < deadline && (_inFlight > 0 || _waiting > 0))
        {
            if (TryReceive(out var length))
            {
                var now = Stopwatch.GetTimestamp();
                var index = Accept(_receive.AsSpan(0, length), now, measureStart, measured);
                if (index >= 0 && (_slots[index].Step == 1 || (now < deadline && next(_slots[index]))))
                {
                    Dispatch(index, now);
                }
            }

            var sweepAt = Stopwatch.GetTimestamp();
            if (sweepAt - lastSweep >= _sweepEveryTicks)
            {
                lastSweep = sweepAt;
                Sweep(sweepAt, deadline, next);
            }
        }
    }

    /// <summary>Sends the slot's request now, or leaves it waiting for its due time (paced heartbeats).</summary>
    private void Dispatch(int index, long now)
    {
        var slot = _slots[index];
        if (slot.DueAt > now)
        {
            slot.Waiting = true;
            _waiting++;
            return;
        }

        Send(index);
    }

    private void Sweep(long now, long deadline, Func<Slot, bool> next)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            if (slot.Waiting && slot.DueAt <= now)
            {
                slot.Waiting = false;
                _waiting--;
                Send(i);
                continue;
            }

            if (slot.SentAt != 0 && now - slot.SentAt > _timeoutTicks)
            {
                Lost++;
                slot.SentAt = 0;
                _inFlight--;
                slot.Step = 0;
                slot.Code = null;

                // A registration that timed out is retried for the same player, so every player ends up with a key.
                if (now < deadline && (slot.Kind == StunMethods.Register || next(slot)))
                {
                    Dispatch(i, now);
                }
            }
        }
    }

    private void Send(int index)
    {
        var slot = _slots[index];
        BinaryPrimitives.WriteUInt64BigEndian(slot.TransactionId, ++_sequence);
        BinaryPrimitives.WriteUInt16BigEndian(slot.TransactionId.AsSpan(SlotIdOffset), (ushort)index);
        var writer = new StunMessageWriter(_send, new StunMessageType(slot.Kind, StunClass.Request), slot.TransactionId);
        if (slot.Kind == StunMethods.Register)
        {
            if (slot.Step == 0)
            {
                writer.AppendUInt32(StunAttributeType.NatCapabilities, 0);
                writer.AppendPaddingTo(ProtocolLimits.RegisterPaddedLength - StunAttributeLayout.PaddedLength(FingerprintAttribute.ValueLength));
            }
            else
            {
                writer.Append(StunAttributeType.Nonce, slot.Cookie);
                writer.AppendUInt32(StunAttributeType.NatCapabilities, 0);
            }
        }
        else
        {
            writer.AppendGuid(StunAttributeType.PlayerId, Ids[slot.Player]);
            switch (slot.Kind)
            {
                case StunMethods.Heartbeat:
                    writer.AppendUInt32(StunAttributeType.NatCapabilities, 0);
                    break;
                case StunMethods.Host:
                    writer.AppendString(StunAttributeType.LobbyName, "bench", ProtocolLimits.MaxLobbyNameBytes);
                    writer.AppendUInt32(StunAttributeType.MaxPlayers, 2);
                    break;
                case StunMethods.Join:
                    writer.AppendString(StunAttributeType.LobbyCode, slot.Code!, 32);
                    break;
            }

            writer.AppendMessageIntegritySha256(Keys[slot.Player]);
        }

        writer.AppendFingerprint();
        slot.SentAt = Stopwatch.GetTimestamp();
        _inFlight++;
        try
        {
            _socket.SendTo(writer.Written, SocketFlags.None, _target);
        }
        catch (SocketException)
        {
            Errors++;
        }
    }

    private bool TryReceive(out int length)
    {
        try
        {
            length = _socket.ReceiveFrom(_receive, SocketFlags.None, _from);
            return true;
        }
        catch (SocketException)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>Handles one datagram; returns the slot it completed (ready for its next request), else -1.</summary>
    private int Accept(ReadOnlySpan<byte> datagram, long now, long measureStart, ushort measured)
    {
        if (StunMessage.TryParse(datagram, out var message) != StunParseStatus.Ok)
        {
            Errors++;
            return -1;
        }

        if (message.Type.Class == StunClass.Request)
        {
            // A push (introduction): acknowledge it as the SDK does.
            var ack = new StunMessageWriter(_ack, message.Type.WithClass(StunClass.SuccessResponse), message.TransactionId);
            ack.AppendFingerprint();
            _socket.SendTo(ack.Written, SocketFlags.None, _from);
            return -1;
        }

        var index = BinaryPrimitives.ReadUInt16BigEndian(message.TransactionId[SlotIdOffset..]);
        if (index >= _slots.Length || _slots[index].SentAt == 0 || !message.TransactionId.SequenceEqual(_slots[index].TransactionId))
        {
            return -1;
        }

        var slot = _slots[index];
        var elapsed = now - slot.SentAt;
        slot.SentAt = 0;
        _inFlight--;
        if (slot.Kind == StunMethods.Register && slot.Step == 0)
        {
            if (!message.TryGetAttribute(StunAttributeType.Nonce, out ReadOnlySpan<byte> cookie))
            {
                Errors++;
                return index;
            }

            slot.Cookie = cookie.ToArray();
            slot.Step = 1;
            return index;
        }

        if (message.Type.Class != StunClass.SuccessResponse)
        {
            Errors++;
            slot.Step = 0;
            slot.Code = null;
            return index;
        }

        switch (slot.Kind)
        {
            case StunMethods.Register:
                message.TryGetGuid(StunAttributeType.PlayerId, out Ids[slot.Player]);
                message.TryGetAttribute(StunAttributeType.PlayerKey, out ReadOnlySpan<byte> key);
                Keys[slot.Player] = key.ToArray();
                slot.Step = 0;
                break;
            case StunMethods.Host:
                slot.Code = message.TryGetAttribute(StunAttributeType.LobbyEntry, out ReadOnlySpan<byte> entry) && LobbyEntryAttribute.TryRead(entry, out var lobby) ? lobby.Code : null;
                break;
        }

        if ((measured == 0 || slot.Kind == measured) && now >= measureStart)
        {
            Completed++;
            Latency.Record(elapsed * 1_000_000_000 / Stopwatch.Frequency);
        }

        return index;
    }

    private sealed class Slot
    {
        public byte[] TransactionId { get; } = new byte[StunHeader.TransactionIdLength];

        public ushort Kind { get; set; }

        public int Player { get; set; }

        public int Step { get; set; }

        public byte[] Cookie { get; set; } = [];

        public string? Code { get; set; }

        public long SentAt { get; set; }

        /// <summary>When a paced heartbeat may go; 0 for at once.</summary>
        public long DueAt { get; set; }

        public bool Waiting { get; set; }
    }
}
