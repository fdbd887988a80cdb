using System.Net.Sockets;

namespace Matchmaker.Bench.Soak;

/// <summary>A registered simulated player: its id, its key, and the socket (shared with others on its address) it speaks from.</summary>
internal sealed class SoakPlayer(Guid id, byte[] key)
{
    public Guid Id { get; } = id;

    public byte[] Key { get; } = key;

    public Socket? Socket { get; set; }

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
