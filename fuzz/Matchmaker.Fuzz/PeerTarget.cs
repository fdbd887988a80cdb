using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Matchmaker.Client;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Fuzz;

/// <summary>
/// The SDK's peer layer (<c>PeerManager</c>): punch probes and answers, data, keepalives and goodbyes,
/// as the client's socket hands them over. Each run starts a fresh introduction whose first probe goes
/// out over real loopback UDP; depending on one input bit the harness first answers that probe
/// properly, so the input lands on a connected link rather than one still punching. Like the control
/// target, the input also runs resealed under the introduction secret.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The sockets live as long as the fuzzing process; the OS reclaims them at exit.")]
internal sealed class PeerTarget : IFuzzTarget
{
    private static readonly Guid IntroductionId = new("6c0ffee0-0000-4000-8000-00000000beef");
    private static readonly byte[] Secret = Enumerable.Range(1, ProtocolLimits.SecretLength).Select(i => (byte)i).ToArray();

    private readonly byte[] _resealed = new byte[ProtocolLimits.MaxDatagram + 64];
    private readonly byte[] _probe = new byte[ProtocolLimits.MaxDatagram];
    private ClientTransport? _transport;
    private Socket? _peer;
    private SocketAddress? _peerSource;
    private SocketAddress? _scratch;
    private MatchmakerClientOptions? _options;

    public string Name => "peer";

    public IEnumerable<(string Name, byte[] Datagram)> Seeds()
    {
        var buffer = new byte[ProtocolLimits.MaxDatagram];
        var tid = new byte[StunHeader.TransactionIdLength];
        var length = PeerMessages.WritePunchRequest(buffer, IntroductionId, Secret, tid);
        yield return ("punch-request", buffer[..length]);
        length = PeerMessages.WritePunchResponse(buffer, tid, IntroductionId, SeedWriter.V4.Serialize(), Secret);
        yield return ("punch-response", buffer[..length]);
        foreach (var (name, method, payload) in new[] { ("data", StunMethods.PeerData, "hello"u8.ToArray()), ("keepalive", StunMethods.Keepalive, []), ("bye", StunMethods.Bye, []) })
        {
            length = PeerMessages.WriteIndication(buffer, method, IntroductionId, 1, payload, Secret);
            var datagram = buffer[..length];
            yield return (name + "-punching", datagram.ToArray());

            // The last transaction-id byte's low bit asks the harness to connect the link first.
            datagram[StunHeader.TransactionIdOffset + StunHeader.TransactionIdLength - 1] |= 1;
            yield return (name + "-connected", datagram);
        }
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        EnsureSockets();
        RunOnce(input, resealed: false);
        var length = Resealer.Reseal(input, _resealed, static (_, key) =>
        {
            Secret.CopyTo(key);
            return true;
        });
        if (length > 0)
        {
            RunOnce(_resealed.AsSpan(0, length), resealed: true);
        }
    }

    private void RunOnce(ReadOnlySpan<byte> datagram, bool resealed)
    {
        // What ClientTransport.Dispatch does before handing a datagram to the peer layer.
        if (StunMessage.TryParse(datagram, out var message) != StunParseStatus.Ok || !message.FingerprintIsValidOrAbsent())
        {
            if (resealed)
            {
                throw new InvalidOperationException("A message the writer built does not parse.");
            }

            return;
        }

        if (resealed && !message.HasValidMessageIntegritySha256(Secret))
        {
            throw new InvalidOperationException("A message signed with the introduction secret does not verify.");
        }

        var peers = new PeerManager(_transport!, _options!, static _ => { }, static (_, _, _) => { });
        peers.Introduce(new IntroductionMessage(
            IntroductionId, "7KQ3MZD", Guid.Empty, (IPEndPoint)_peer!.LocalEndPoint!, [], NatCapabilities.Unknown, Secret,
            ConnectMethod.Direct, TimeSpan.FromHours(1), PeerIsHost: false));
        var received = _peer.ReceiveFrom(_probe, SocketFlags.None, _scratch!);
        if ((message.TransactionId[^1] & 1) != 0)
        {
            AnswerProbe(peers, received);
        }

        if (StunMethods.IsPeer(message.Type.Method))
        {
            peers.OnPeerMessage(message, _peerSource!);
        }

        _ = peers.Connected.Count;
        peers.CloseAll();
        Drain();
    }

    private void AnswerProbe(PeerManager peers, int probeLength)
    {
        if (StunMessage.TryParse(_probe.AsSpan(0, probeLength), out var probe) != StunParseStatus.Ok)
        {
            throw new InvalidOperationException("The peer layer sent a malformed probe.");
        }

        Span<byte> answer = stackalloc byte[256];
        var length = PeerMessages.WritePunchResponse(answer, probe.TransactionId, IntroductionId, _transport!.LocalEndPoint.Serialize(), Secret);
        _ = StunMessage.TryParse(answer[..length], out var parsed);
        peers.OnPeerMessage(parsed, _peerSource!);
        if (peers.Connected.Count != 1)
        {
            throw new InvalidOperationException("A properly answered probe did not connect.");
        }
    }

    /// <summary>Answers and goodbyes the peer layer sent to the fake peer are discarded before the next run.</summary>
    private void Drain()
    {
        while (_peer!.Available > 0)
        {
            _peer.ReceiveFrom(_probe, SocketFlags.None, _scratch!);
        }
    }

    private void EnsureSockets()
    {
        if (_transport is not null)
        {
            return;
        }

        _transport = new ClientTransport(new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System);
        _peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _peer.ReceiveTimeout = 2000;
        _peerSource = _peer.LocalEndPoint!.Serialize();
        _scratch = new SocketAddress(AddressFamily.InterNetwork);
        _options = new MatchmakerClientOptions { Server = new IPEndPoint(IPAddress.Loopback, 9), PunchTimeout = TimeSpan.FromHours(1) };
    }
}
