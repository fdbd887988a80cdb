using System.Net;
using System.Net.Sockets;
using Matchmaker.Gateway;

namespace Matchmaker.Tests.Gateway;

public sealed class GatewaySocketTests
{
    private const int BufferBytes = 256 * 1024;

    [Fact]
    public void Receive_loops_share_the_exact_local_address()
    {
        using var socket = new GatewaySocket(new IPEndPoint(IPAddress.Loopback, 0), "primary", BufferBytes, receiveLoops: 3);

        Assert.Equal(3, socket.Receivers.Count);
        Assert.NotEqual(0, socket.LocalPort);
        Assert.All(socket.Receivers, receiver => Assert.Equal(socket.LocalEndPoint, receiver.LocalEndPoint));
        Assert.Same(socket.Receivers[0], socket.Socket);
    }

    [Fact]
    public void One_receive_loop_binds_a_single_socket()
    {
        using var socket = new GatewaySocket(new IPEndPoint(IPAddress.Loopback, 0), "primary", BufferBytes);

        Assert.Single(socket.Receivers);
        Assert.Equal(socket.LocalEndPoint, socket.Socket.LocalEndPoint);
    }

    [Fact]
    public void A_port_in_use_still_fails_start_up_with_several_receive_loops()
    {
        using var first = new GatewaySocket(new IPEndPoint(IPAddress.Loopback, 0), "primary", BufferBytes, receiveLoops: 2);

        // Another gateway with the same settings must not silently join the first one's group.
        var clash = Assert.Throws<SocketException>(() => new GatewaySocket(first.LocalEndPoint, "primary", BufferBytes, receiveLoops: 2));
        Assert.Equal(SocketError.AddressAlreadyInUse, clash.SocketErrorCode);
    }

    [Fact]
    public void Every_datagram_to_the_shared_address_reaches_one_receiver()
    {
        using var gateway = new GatewaySocket(new IPEndPoint(IPAddress.Loopback, 0), "primary", BufferBytes, receiveLoops: 2);
        const int Clients = 8;
        var clients = Enumerable.Range(0, Clients).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)).ToList();
        try
        {
            foreach (var client in clients)
            {
                client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                client.SendTo([1, 2, 3], gateway.LocalEndPoint);
            }

            var received = 0;
            var buffer = new byte[16];
            foreach (var receiver in gateway.Receivers)
            {
                while (receiver.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead))
                {
                    receiver.Receive(buffer);
                    received++;
                }
            }

            Assert.Equal(Clients, received);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
