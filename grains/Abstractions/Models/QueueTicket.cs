namespace Matchmaker.Grains.Models;

/// <summary>
/// A player waiting in a queue. <see cref="EnqueuedAt"/> never changes, not even when a failed match
/// puts the ticket back or a wider search moves it to another shard: age is what orders the queue.
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.QueueTicket")]
public sealed record QueueTicket(
    [property: Id(0)] Guid TicketId,
    [property: Id(1)] QueueSpec Spec,
    [property: Id(2)] PeerCard Card,
    [property: Id(3)] DateTimeOffset EnqueuedAt);
