using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Bench.Load;

/// <summary>
/// One client socket on its own thread, keeping a fixed window of Binding requests in flight (closed
/// loop: a response or a timeout frees a slot, which is refilled at once). Everything the loop touches
/// is allocated up front; sends and receives use the <see cref="SocketAddress"/> overloads, so the
/// steady state allocates nothing and the generator spends its share of the two cores on packets.
/// </summary>
internal sealed class LoadWorker : IDisposable
{
    /// <summary>Bounds how long a blocking receive may hide an expired slot.</summary>
    private const int ReceiveTimeoutMs = 20;
    private const int BufferLength = 1500;
    private const int SlotIdOffset = StunHeader.TransactionIdLength - sizeof(ushort);

    private readonly StunLoadOptions _options;
    private readonly Socket _socket;
    private readonly SocketAddress _target;
    private readonly SocketAddress _from;
    private readonly byte[] _sendBuffer = GC.AllocateArray<byte>(BufferLength, pinned: true);
    private readonly byte[] _receiveBuffer = GC.AllocateArray<byte>(BufferLength, pinned: true);
    private readonly byte[] _transactionIds;
    private readonly long[] _sentAt;
    private readonly byte[] _localAddress;
    private readonly ushort _localPort;
    private readonly Random _random;
    private readonly long _timeoutTicks;
    private readonly long _maxRequests;
    private int _outstanding;

    public LoadWorker(StunLoadOptions options, long maxRequests, int seed)
    {
        _options = options;
        _maxRequests = maxRequests;
        _socket = new Socket(options.Target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.ReceiveBufferSize = 1 << 20;
        _socket.SendBufferSize = 1 << 20;
        _socket.ReceiveTimeout = ReceiveTimeoutMs;
        var loopback = options.Target.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        _socket.Bind(new IPEndPoint(loopback, 0));
        var local = (IPEndPoint)_socket.LocalEndPoint!;
        _localAddress = local.Address.GetAddressBytes();
        _localPort = (ushort)local.Port;
        _target = options.Target.Serialize();
        _from = new SocketAddress(options.Target.AddressFamily);
        _transactionIds = new byte[options.Window * StunHeader.TransactionIdLength];
        _sentAt = new long[options.Window];
        _random = new Random(seed);
        _timeoutTicks = options.TimeoutMs * Stopwatch.Frequency / 1000;
        PerSecond = new long[options.Seconds];
    }

    public long Sent { get; private set; }

    /// <summary>Valid responses at any time, warm-up and drain included: the basis of the loss figure.</summary>
    public long Answered { get; private set; }

    /// <summary>Valid responses that arrived inside the measured window: the basis of the rate.</summary>
    public long Counted { get; private set; }

    public long Lost { get; private set; }

    /// <summary>Well-formed responses whose transaction is no longer outstanding (answered after its timeout).</summary>
    public long Stale { get; private set; }

    /// <summary>Anything else: not STUN, wrong type, wrong source, missing or wrong XOR-MAPPED-ADDRESS.</summary>
    public long Invalid { get; private set; }

    public long SendErrors { get; private set; }

    public long StoppedSendingAt { get; private set; }

    public LatencyHistogram Rtt { get; } = new();

    public long[] PerSecond { get; }

    public void Run(long measureStart, long deadline)
    {
        for (var slot = 0; slot < _options.Window && Sent < _maxRequests; slot++)
        {
            SendRequest(slot);
        }

        var sweepInterval = Stopwatch.Frequency / 100;
        var nextSweep = Stopwatch.GetTimestamp() + sweepInterval;
        long now;
        while ((now = Stopwatch.GetTimestamp()) < deadline && Sent < _maxRequests)
        {
            if (TryReceive(out var length))
            {
                now = Stopwatch.GetTimestamp();
                var slot = Accept(_receiveBuffer.AsSpan(0, length), now, measureStart, deadline);
                if (slot >= 0 && now < deadline && Sent < _maxRequests)
                {
                    SendRequest(slot);
                }
            }

            if (now >= nextSweep)
            {
                Sweep(now, resend: now < deadline);
                nextSweep = now + sweepInterval;
            }
        }

        StoppedSendingAt = now;
        Drain(measureStart, deadline);
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Waits up to one timeout for the requests still in flight, so loss is not inflated by the cut-off.</summary>
    private void Drain(long measureStart, long deadline)
    {
        var until = Stopwatch.GetTimestamp() + _timeoutTicks;
        while (_outstanding > 0 && Stopwatch.GetTimestamp() < until)
        {
            if (TryReceive(out var length))
            {
                Accept(_receiveBuffer.AsSpan(0, length), Stopwatch.GetTimestamp(), measureStart, deadline);
            }
        }

        Lost += _outstanding;
        _outstanding = 0;
    }

    private void SendRequest(int slot)
    {
        var transactionId = _transactionIds.AsSpan(slot * StunHeader.TransactionIdLength, StunHeader.TransactionIdLength);
        _random.NextBytes(transactionId[..SlotIdOffset]);

        // The slot rides in the last two bytes so a response finds its request without a lookup table;
        // the ten random bytes before it still make every transaction id unique in practice.
        BinaryPrimitives.WriteUInt16BigEndian(transactionId[SlotIdOffset..], (ushort)slot);
        var writer = new StunMessageWriter(_sendBuffer, new StunMessageType(StunMethods.Binding, StunClass.Request), transactionId);
        if (_options.Fingerprint)
        {
            writer.AppendFingerprint();
        }

        _sentAt[slot] = Stopwatch.GetTimestamp();
        _outstanding++;
        Sent++;
        try
        {
            _socket.SendTo(writer.Written, SocketFlags.None, _target);
        }
        catch (SocketException)
        {
            // A full send buffer or a transient error: the slot simply times out and counts as lost.
            SendErrors++;
        }
    }

    private bool TryReceive(out int length)
    {
        try
        {
            length = _socket.ReceiveFrom(_receiveBuffer, SocketFlags.None, _from);
            return true;
        }
        catch (SocketException)
        {
            // Timed out: nothing arrived within ReceiveTimeoutMs, the caller sweeps and goes on.
            length = 0;
            return false;
        }
    }

    /// <summary>Classifies one datagram; returns the freed slot for a valid response, else -1.</summary>
    private int Accept(ReadOnlySpan<byte> datagram, long now, long measureStart, long deadline)
    {
        if (!_from.Equals(_target)
            || StunMessage.TryParse(datagram, out var message) != StunParseStatus.Ok
            || message.Type != new StunMessageType(StunMethods.Binding, StunClass.SuccessResponse))
        {
            Invalid++;
            return -1;
        }

        var transactionId = message.TransactionId;
        var slot = BinaryPrimitives.ReadUInt16BigEndian(transactionId[SlotIdOffset..]);
        if (slot >= _sentAt.Length
            || _sentAt[slot] == 0
            || !transactionId.SequenceEqual(_transactionIds.AsSpan(slot * StunHeader.TransactionIdLength, StunHeader.TransactionIdLength)))
        {
            Stale++;
            return -1;
        }

        if (!message.TryGetAttribute(StunAttributeType.XorMappedAddress, out ReadOnlySpan<byte> mapped) || !MapsToUs(mapped, transactionId))
        {
            Invalid++;
            return -1;
        }

        var sentAt = _sentAt[slot];
        _sentAt[slot] = 0;
        _outstanding--;
        Answered++;
        if (now >= measureStart && now < deadline)
        {
            Counted++;
            PerSecond[Math.Min(PerSecond.Length - 1, (int)((now - measureStart) / Stopwatch.Frequency))]++;
            Rtt.Record((long)((now - sentAt) * (1_000_000_000.0 / Stopwatch.Frequency)));
        }

        return slot;
    }

    /// <summary>XOR-MAPPED-ADDRESS (RFC 8489 §14.2) must name this socket: the server saw us as we are on loopback.</summary>
    private bool MapsToUs(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId)
    {
        if (value.Length != 4 + _localAddress.Length || value[1] != (_localAddress.Length == 4 ? 0x01 : 0x02))
        {
            return false;
        }

        if ((ushort)(BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (StunHeader.MagicCookie >> 16)) != _localPort)
        {
            return false;
        }

        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunHeader.MagicCookie);
        transactionId.CopyTo(mask[4..]);
        for (var i = 0; i < _localAddress.Length; i++)
        {
            if ((value[4 + i] ^ mask[i]) != _localAddress[i])
            {
                return false;
            }
        }

        return true;
    }

    private void Sweep(long now, bool resend)
    {
        for (var slot = 0; slot < _sentAt.Length; slot++)
        {
            if (_sentAt[slot] == 0 || now - _sentAt[slot] < _timeoutTicks)
            {
                continue;
            }

            _sentAt[slot] = 0;
            _outstanding--;
            Lost++;
            if (resend && Sent < _maxRequests)
            {
                SendRequest(slot);
            }
        }
    }
}
