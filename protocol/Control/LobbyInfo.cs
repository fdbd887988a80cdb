namespace Matchmaker.Protocol.Control;

/// <summary>A lobby as listed to a browsing player.</summary>
public readonly record struct LobbyInfo(string Code, string Name, int Players, int MaxPlayers);
