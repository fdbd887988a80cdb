using System.Net;

namespace Matchmaker.Protocol.Relay;

/// <summary>What a player needs to use a relay allocation: the node's address, its side's token and the token's key.</summary>
public sealed record RelayTicket(IPEndPoint Endpoint, byte[] Token, byte[] Key);
