using System.Net;
using System.Net.Sockets;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Relay;

/// <summary>
/// A client of the relay at byte level. <see cref="BarrierAsync"/> synchronises without sleeping: the relay
/// handles datagrams in order on one loop, so once the answer to a fresh bind arrives, everything sent
/// before it has been handled and anything forwarded to this socket has arrived.
/// </summary>
internal sealed class RelayTestClient : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _relay;

    public RelayTestClient(IPEndPoint relay, RelayTicket ticket, IPAddress? local = null, Socket? socket = null)
    {
        _relay = relay;
        Ticket = ticket;
        _socket = socket ?? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        if (socket is null)
        {
            _socket.Bind(new IPEndPoint(local ?? IPAddress.Loopback, 0));
        }
    }

    public RelayTicket Ticket { get; }

    public uint Handle { get; private set; }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public byte[] LastBindRequest { get; private set; } = [];

    /// <summary>Sends a bind and returns the relay's answer (handle, or error code), or a timeout.</summary>
    public async Task<(uint? Handle, int? Error)> BindAsync(TimeSpan? timeout = null)
    {
        var buffer = new byte[256];
        var transactionId = new byte[StunHeader.TransactionIdLength];
        var length = RelayBindMessages.WriteRequest(buffer, Ticket.Token, Ticket.Key, transactionId);
        LastBindRequest = buffer[..length];
        Send(LastBindRequest);
        var (answer, _) = await ReceiveBindAnswerAsync(transactionId, timeout);
        return answer;
    }

    /// <summary>Every data frame that reached this socket before the answer to a fresh bind.</summary>
    public async Task<List<byte[]>> BarrierAsync()
    {
        var buffer = new byte[256];
        var transactionId = new byte[StunHeader.TransactionIdLength];
        var length = RelayBindMessages.WriteRequest(buffer, Ticket.Token, Ticket.Key, transactionId);
        Send(buffer.AsSpan(0, length));
        var (_, before) = await ReceiveBindAnswerAsync(transactionId, null);
        return before;
    }

    public void SendFrame(ReadOnlySpan<byte> payload, uint? handle = null)
    {
        var frame = new byte[RelayFrame.HeaderLength + payload.Length];
        RelayFrame.Write(frame, handle ?? Handle, payload);
        Send(frame);
    }

    public void Send(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, SocketFlags.None, _relay);

    public async Task<byte[]?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[2048];
        try
        {
            var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
            return buffer[..result.ReceivedBytes];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<((uint? Handle, int? Error) Answer, List<byte[]> Before)> ReceiveBindAnswerAsync(byte[] transactionId, TimeSpan? timeout)
    {
        var before = new List<byte[]>();
        while (true)
        {
            var datagram = await ReceiveAsync(timeout ?? TimeSpan.FromSeconds(5));
            if (datagram is null)
            {
                return ((null, null), before);
            }

            if (StunMessage.TryParse(datagram, out var message) != StunParseStatus.Ok || !message.TransactionId.SequenceEqual(transactionId))
            {
                before.Add(datagram);
                continue;
            }

            Assert.True(message.HasValidMessageIntegritySha256(Ticket.Key), "the relay signs its answers with the token's key");
            if (message.Type.Class == StunClass.SuccessResponse && message.TryGetUInt32(StunAttributeType.RelayHandle, out var handle))
            {
                Handle = handle;
                return ((handle, null), before);
            }

            Assert.True(message.TryGetErrorCode(out var code, out _));
            return ((null, code), before);
        }
    }
}
