using Matchmaker.Protocol.Control;

namespace Matchmaker.Client;

/// <summary>Something that happened on the client's socket; read them from <see cref="MatchmakerClient.Events"/>.</summary>
public abstract record MatchmakerEvent;

/// <summary>A punch succeeded: both sides proved the introduction secret over a path that works both ways.</summary>
public sealed record PeerConnected(PeerConnection Peer) : MatchmakerEvent;

/// <summary>A datagram from a connected peer.</summary>
public sealed record PeerMessageReceived(PeerConnection Peer, ReadOnlyMemory<byte> Data) : MatchmakerEvent;

/// <summary>An introduction could not be turned into a connection; <see cref="Reason"/> is a stable slug.</summary>
public sealed record PeerConnectFailed(Guid PeerId, string Reason) : MatchmakerEvent
{
    /// <summary>The step of the connection plan that was tried.</summary>
    public ConnectMethod Method { get; init; }

    /// <summary>How long the punch ran before giving up (zero for an introduction that arrived expired).</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>A connected peer said goodbye (<c>peer-left</c>) or went silent (<c>peer-timeout</c>).</summary>
public sealed record PeerDisconnected(PeerConnection Peer, string Reason) : MatchmakerEvent;

/// <summary>The lobby ended, e.g. <c>host-left</c> or <c>host-lost</c>.</summary>
public sealed record LobbyClosed(string LobbyCode, string Reason) : MatchmakerEvent;

/// <summary>The queue formed a match: a lobby of these players (this one included, oldest ticket first). Connections follow.</summary>
public sealed record QueueMatched(string LobbyCode, IReadOnlyList<Guid> Players) : MatchmakerEvent;
