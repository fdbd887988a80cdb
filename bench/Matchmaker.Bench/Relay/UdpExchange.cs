using System.Net;
using System.Net.Sockets;

namespace Matchmaker.Bench.Relay;

/// <summary>One request, one answer, on a socket nothing else reads yet (set-up only, before the load starts).</summary>
internal static class UdpExchange
{
    public static byte[] Ask(Socket socket, EndPoint server, ReadOnlySpan<byte> request)
    {
        socket.ReceiveTimeout = 2000;
        socket.SendTo(request, SocketFlags.None, server);
        var answer = new byte[1500];
        var received = socket.Receive(answer);
        socket.ReceiveTimeout = 0;
        return answer[..received];
    }
}
