using System.Net;
using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains.Queues;

/// <summary>What the matcher needs of a ticket: identity, age, and the two facts a connection plan rests on.</summary>
public sealed record MatchCandidate(Guid TicketId, DateTimeOffset EnqueuedAt, IPAddress PublicAddress, NatCapabilities Capabilities);
