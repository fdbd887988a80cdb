using System.Net;
using System.Net.Sockets;
using Matchmaker.Protocol.Relay;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Bench.Relay;

/// <summary>
/// Opens allocations on a Matchmaker relay the way the cluster and two players would: tokens minted from
/// the node's secret, one side bound from the session's client socket, the other from the shared echo socket.
/// </summary>
internal sealed class MatchmakerRelayBinder(IPEndPoint relay, byte[] secret)
{
    public RelayLoadSession Open(Socket client, Socket peer)
    {
        var allocation = Guid.NewGuid();
        var clientHandle = Bind(client, allocation, 0);
        Bind(peer, allocation, 1);
        var header = new byte[RelayFrame.HeaderLength];
        RelayFrame.WriteHeader(header, clientHandle);
        return new RelayLoadSession(client, header);
    }

    private uint Bind(Socket socket, Guid allocation, byte side)
    {
        var token = new RelayToken(allocation, side, (uint)DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), (ulong)Random.Shared.NextInt64()).ToArray();
        var request = new byte[256];
        var length = RelayBindMessages.WriteRequest(request, token, RelayToken.DeriveKey(secret, token), new byte[StunHeader.TransactionIdLength]);
        var answer = UdpExchange.Ask(socket, relay, request.AsSpan(0, length));
        if (StunMessage.TryParse(answer, out var message) != StunParseStatus.Ok
            || !message.TryGetUInt32(StunAttributeType.RelayHandle, out var handle))
        {
            throw new InvalidOperationException("The relay did not accept the bind.");
        }

        return handle;
    }
}
