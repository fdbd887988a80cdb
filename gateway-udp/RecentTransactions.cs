using Matchmaker.Protocol.Stun;

namespace Matchmaker.Gateway;

/// <summary>
/// Transaction ids of requests already taken, so a retransmission (same id, RFC 8489 §6.3) is answered
/// but not acted on twice. Bounded: past the capacity the set starts over, which can only let a very late
/// retransmission through, never hold memory without limit.
/// </summary>
internal sealed class RecentTransactions(int capacity)
{
    private readonly Lock _gate = new();
    private readonly HashSet<TransactionKey> _seen = [];

    /// <summary>True the first time a transaction id is seen.</summary>
    public bool TryRemember(ReadOnlySpan<byte> transactionId)
    {
        var key = TransactionKey.From(transactionId);
        lock (_gate)
        {
            if (_seen.Count >= capacity)
            {
                _seen.Clear();
            }

            return _seen.Add(key);
        }
    }
}
