namespace Matchmaker.Client;

internal enum PeerLinkState
{
    Punching,
    Connected,
    Closed,
}
