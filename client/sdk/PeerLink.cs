using System.Net;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;

namespace Matchmaker.Client;

/// <summary>
/// One introduced peer: the candidate endpoints being punched, the probes in flight, and once a probe
/// is answered with valid proof, the one verified remote endpoint everything else must come from.
/// Guarded by <see cref="PeerManager"/>'s lock.
/// </summary>
internal sealed class PeerLink(IntroductionMessage introduction, DateTimeOffset punchDeadline)
{
    private const int MaxProbesRemembered = 256;
    private const int MaxCandidates = 16;

    private readonly Dictionary<TransactionKey, IPEndPoint> _probes = [];

    public IntroductionMessage Introduction { get; } = introduction;

    public DateTimeOffset PunchDeadline { get; } = punchDeadline;

    public List<IPEndPoint> Candidates { get; } = [introduction.PeerEndpoint, .. introduction.PeerLanEndpoints];

    public PeerLinkState State { get; set; } = PeerLinkState.Punching;

    public IPEndPoint? Remote { get; private set; }

    public SocketAddress? RemoteAddress { get; private set; }

    public DateTimeOffset NextPunchAt { get; set; }

    public DateTimeOffset LastSent { get; set; }

    public DateTimeOffset LastReceived { get; set; }

    /// <summary>Sequence number of the last indication sent on this link.</summary>
    public ulong SentSequence { get; set; }

    /// <summary>Which of the peer's indications were already accepted.</summary>
    public ReplayWindow Received { get; } = new();

    public PeerConnection? Connection { get; set; }

    public void RememberProbe(ReadOnlySpan<byte> transactionId, IPEndPoint destination)
    {
        if (_probes.Count >= MaxProbesRemembered)
        {
            _probes.Clear();
        }

        _probes[TransactionKey.From(transactionId)] = destination;
    }

    /// <summary>A response counts only if it answers a probe we sent, from the endpoint we sent it to.</summary>
    public bool AnswersOurProbe(ReadOnlySpan<byte> transactionId, SocketAddress source) =>
        _probes.TryGetValue(TransactionKey.From(transactionId), out var destination) && SocketAddressParts.SameEndpoint(source, destination);

    /// <summary>
    /// A symmetric NAT gives the peer a new port for us; its verified probe reveals it, and we punch back
    /// to exactly that endpoint (the cone-to-symmetric step of the plan).
    /// </summary>
    public bool LearnCandidate(IPEndPoint endpoint)
    {
        if (Candidates.Contains(endpoint) || Candidates.Count >= MaxCandidates)
        {
            return false;
        }

        Candidates.Add(endpoint);
        return true;
    }

    public void Connect(SocketAddress source, DateTimeOffset now)
    {
        State = PeerLinkState.Connected;
        Remote = SocketAddressParts.ToEndPoint(source);
        RemoteAddress = Remote.Serialize();
        LastReceived = now;
    }

    public bool IsFromRemote(SocketAddress source) => Remote is not null && SocketAddressParts.SameEndpoint(source, Remote);
}
