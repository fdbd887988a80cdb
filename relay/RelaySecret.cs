using System.Security.Cryptography;

namespace Matchmaker.Relay;

/// <summary>
/// The node's token secret, fresh per process: the node hands it to the cluster with every heartbeat and
/// the cluster derives token keys from it. A restarted node has a new secret, so tokens issued for its
/// previous life stop working — as they should, since their allocations died with it.
/// </summary>
public sealed class RelaySecret
{
    public RelaySecret()
        : this(RandomNumberGenerator.GetBytes(32))
    {
    }

    /// <summary>A chosen secret: the fuzz harness's, so the binds in its checked-in corpus verify on every run.</summary>
    internal RelaySecret(byte[] value) => Value = value;

    public byte[] Value { get; }
}
