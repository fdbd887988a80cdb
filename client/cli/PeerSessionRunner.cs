using System.Text;
using Matchmaker.Client;

namespace Matchmaker.Cli;

/// <summary>
/// The interactive part of host and join: stdin lines go to every connected peer (lines typed before
/// anyone connects are held, not lost), and client events are reported until the session ends.
/// </summary>
internal sealed class PeerSessionRunner(MatchmakerClient client, IEventOutput output, bool isJoiner)
{
    private readonly Queue<string> _held = new();
    private readonly Lock _gate = new();

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // Console input blocks a thread even through ReadLineAsync, so it gets its own; it is not
        // awaited on exit because a read in progress cannot be interrupted.
        _ = Task.Factory.StartNew(() => PumpStdinAsync(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        return await ReportEventsAsync(cancellationToken);
    }

    private async Task<int> ReportEventsAsync(CancellationToken cancellationToken)
    {
        var connectedOnce = false;
        await foreach (var @event in client.Events.ReadAllAsync(cancellationToken))
        {
            switch (@event)
            {
                case QueueMatched matched:
                    output.Matched(matched.LobbyCode, matched.Players);
                    break;
                case PeerConnected connected:
                    connectedOnce = true;
                    output.Connected(connected.Peer);
                    FlushHeld();
                    break;
                case PeerMessageReceived message:
                    output.Message(message.Peer, Encoding.UTF8.GetString(message.Data.Span));
                    break;
                case PeerConnectFailed failed:
                    output.Error(failed.Reason, $"Could not connect to peer {failed.PeerId:N}: {failed.Reason}.");
                    if (isJoiner && !connectedOnce)
                    {
                        return CliRun.Failure;
                    }

                    break;
                case PeerDisconnected disconnected:
                    output.Disconnected(disconnected.Peer, disconnected.Reason);
                    if (isJoiner && disconnected.Peer.PeerIsHost)
                    {
                        // The host leaving ends the session as planned; losing the relay under it does not.
                        return disconnected.Reason == "relay-lost" ? CliRun.Failure : CliRun.Success;
                    }

                    break;
                case LobbyClosed closed:
                    output.LobbyClosed(closed.LobbyCode, closed.Reason);
                    if (isJoiner)
                    {
                        return CliRun.Success;
                    }

                    break;
            }
        }

        return CliRun.Success;
    }

    private async Task PumpStdinAsync(CancellationToken cancellationToken)
    {
        // End of input is not the end of the session: a host run in the background keeps serving.
        while (await Console.In.ReadLineAsync(cancellationToken) is { } line)
        {
            lock (_gate)
            {
                if (client.Peers.Count == 0)
                {
                    _held.Enqueue(line);
                    continue;
                }
            }

            client.Broadcast(Encoding.UTF8.GetBytes(line));
        }
    }

    private void FlushHeld()
    {
        lock (_gate)
        {
            while (_held.TryDequeue(out var line))
            {
                client.Broadcast(Encoding.UTF8.GetBytes(line));
            }
        }
    }
}
