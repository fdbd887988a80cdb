namespace Matchmaker.Client;

/// <summary>
/// The lobby this client hosts (<see cref="HostedName"/> set) or joined. Every heartbeat restates it, so
/// the cluster can rebuild a lobby it lost with a silo: the host's claim reopens it under the same code.
/// </summary>
internal sealed record HeldLobby(string Code, string? HostedName, int MaxPlayers);
