namespace Matchmaker.Grains.Models;

/// <summary>Outcome of an enqueue; the gateway maps each to a protocol error slug.</summary>
[GenerateSerializer, Alias("Matchmaker.QueueStatus")]
public enum QueueStatus
{
    Ok,
    NotRegistered,
    InvalidSpec,

    /// <summary>The shard holds <c>Queues:MaxTicketsPerShard</c> tickets already.</summary>
    Full,
}
