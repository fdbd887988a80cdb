namespace Matchmaker.Grains;

/// <summary>Maps a lobby code to its index shard with a hash that is stable across processes (unlike string.GetHashCode).</summary>
public static class LobbyIndexShards
{
    public const int Count = 16;

    public static int ShardOf(string lobbyCode)
    {
        var hash = 2166136261u;
        foreach (var c in lobbyCode)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Count);
    }
}
