using System.Net;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;

namespace Matchmaker.Client;

/// <summary>
/// One introduced peer: the candidate endpoints being punched, the probes in flight, and once a probe
/// is answered with valid proof, the one verified remote endpoint everything else must come from.
/// Guarded by <see cref="PeerManager"/>'s lock.
/// </summary>
internal sealed class PeerLink(IntroductionMessage introduction, DateTimeOffset introducedAt, DateTimeOffset expiresAt, DateTimeOffset punchDeadline)
{
    private const int MaxProbesRemembered = 256;
    private const int MaxCandidates = 16;

    private readonly Dictionary<TransactionKey, IPEndPoint> _probes = [];

    public IntroductionMessage Introduction { get; } = introduction;

    /// <summary>When the introduction arrived: time to connect is measured from here.</summary>
    public DateTimeOffset IntroducedAt { get; } = introducedAt;

    /// <summary>When the introduction's lifetime ends: from then on its secret starts nothing, on either path.</summary>
    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    /// <summary>The earlier of <see cref="ExpiresAt"/> and the client's own punch timeout.</summary>
    public DateTimeOffset PunchDeadline { get; } = punchDeadline;

    /// <summary>From introduction to the verified path; zero until connected.</summary>
    public TimeSpan TimeToConnect { get; private set; }

    /// <summary>Where probes go: the peer's endpoints, or for a relayed introduction only the relay node.</summary>
    public List<IPEndPoint> Candidates { get; } = introduction.Relay is { } relay
        ? [relay.Endpoint]
        : [.. introduction.Candidates];

    /// <summary>The relay node's address, for a relayed introduction.</summary>
    public SocketAddress? RelayAddress { get; } = introduction.Relay?.Endpoint.Serialize();

    /// <summary>This side's handle in the allocation, once the relay has answered a bind; null until then.</summary>
    public uint? RelayHandle { get; set; }

    /// <summary>The transaction id of the last bind sent, so only the relay's answer to it counts.</summary>
    public byte[] BindTransaction { get; } = new byte[StunHeader.TransactionIdLength];

    public DateTimeOffset NextBindAt { get; set; }

    public PeerLinkState State { get; set; } = PeerLinkState.Punching;

    public IPEndPoint? Remote { get; private set; }

    public SocketAddress? RemoteAddress { get; private set; }

    public DateTimeOffset StartedAt { get; init; }

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
        if (RelayAddress is not null || Candidates.Contains(endpoint) || Candidates.Count >= MaxCandidates)
        {
            return false;
        }

        Candidates.Add(endpoint);
        return true;
    }

    public void Connect(SocketAddress source, DateTimeOffset now)
    {
        State = PeerLinkState.Connected;
        TimeToConnect = now - IntroducedAt;
        Remote = SocketAddressParts.ToEndPoint(source);
        RemoteAddress = Remote.Serialize();
        LastReceived = now;
    }

    public bool IsFromRemote(SocketAddress source) => Remote is not null && SocketAddressParts.SameEndpoint(source, Remote);
}
