using System.Net;
using System.Net.Sockets;

namespace Matchmaker.Gateway;

/// <summary>Handles one datagram on the receive thread; the datagram may be rewritten in place (a relay forwards that way).</summary>
internal delegate void DatagramHandler(Span<byte> datagram, SocketAddress source, Span<byte> sendBuffer);

/// <summary>
/// One long-lived receive loop per socket, shared by the gateway and relay nodes.
/// </summary>
/// <remarks>
/// On Linux each loop is a dedicated thread blocked in a synchronous receive. An awaited receive that
/// finds the queue empty parks on epoll, and its completion then hops from the socket engine thread to a
/// thread-pool worker; under a STUN Binding load that cost about twice the CPU per response of the
/// blocking receive (bench/README.md). Elsewhere the loops stay asynchronous: stopping a blocked
/// receive by shutting its socket down (<see cref="WakeReceiver"/>) is verified on Linux only.
/// </remarks>
internal static class UdpReceiveLoop
{
    private const int ReceiveBufferLength = 2048;
    private const int SendBufferLength = 1500;

    /// <summary><paramref name="shouldStop"/> decides for each exception whether the loop ends (true) or serves on.</summary>
    public static Task Start(Socket receiver, string name, DatagramHandler handler, Func<Exception, bool> shouldStop, CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Task.Run(() => RunAsync(receiver, handler, shouldStop, stoppingToken), stoppingToken);
        }

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(receiver, handler, shouldStop, stoppingToken);
            }
            finally
            {
                stopped.SetResult();
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return stopped.Task;
    }

    private static void Run(Socket receiver, DatagramHandler handler, Func<Exception, bool> shouldStop, CancellationToken stoppingToken)
    {
        var receiveBuffer = GC.AllocateArray<byte>(ReceiveBufferLength, pinned: true);
        var sendBuffer = GC.AllocateArray<byte>(SendBufferLength, pinned: true);
        var source = new SocketAddress(receiver.AddressFamily);
        using var wake = stoppingToken.Register(() => WakeReceiver(receiver));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var received = receiver.ReceiveFrom(receiveBuffer, SocketFlags.None, source);
                if (stoppingToken.IsCancellationRequested)
                {
                    // Woken by WakeReceiver: what came back is the shutdown, not a datagram.
                    break;
                }

                handler(receiveBuffer.AsSpan(0, received), source, sendBuffer);
            }
            catch (Exception exception)
            {
                if (shouldStop(exception))
                {
                    break;
                }
            }
        }
    }

    private static async Task RunAsync(Socket receiver, DatagramHandler handler, Func<Exception, bool> shouldStop, CancellationToken stoppingToken)
    {
        var receiveBuffer = GC.AllocateArray<byte>(ReceiveBufferLength, pinned: true);
        var sendBuffer = GC.AllocateArray<byte>(SendBufferLength, pinned: true);
        var source = new SocketAddress(receiver.AddressFamily);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var received = await receiver.ReceiveFromAsync(receiveBuffer, SocketFlags.None, source, stoppingToken);
                handler(receiveBuffer.AsSpan(0, received), source, sendBuffer);
            }
            catch (Exception exception)
            {
                if (shouldStop(exception))
                {
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Sockets are disposed only after every loop has ended (pushes may still go out while stopping),
    /// so a receive blocked in the kernel has to be woken another way. On Linux, shutting the socket down
    /// for receiving wakes it, even for unconnected UDP where the call itself reports ENOTCONN; sending
    /// stays possible.
    /// </summary>
    private static void WakeReceiver(Socket receiver)
    {
        try
        {
            receiver.Shutdown(SocketShutdown.Receive);
        }
        catch (SocketException)
        {
            // ENOTCONN, expected for an unconnected socket; the receiver has been woken regardless.
        }
        catch (ObjectDisposedException)
        {
            // Already closed: nothing left to wake.
        }
    }
}
