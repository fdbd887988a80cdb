using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains.Queues;

/// <summary>
/// Where a ticket waits, as queue grain keys. A ticket's path has up to three stages, each a wider search
/// it reaches by waiting longer, never by a relay:
/// <list type="number">
/// <item><c>mode/size/region/bucket</c> — its region and NAT bucket (skipped when it names no region);</item>
/// <item><c>mode/size/*/bucket</c> — any region, same bucket, after <c>Queues:RegionWideningDelay</c>;</item>
/// <item><c>mode/size/*/*</c> — any region and bucket, after <c>Queues:BucketWideningDelay</c>.</item>
/// </list>
/// Players whose every pair is direct then always meet in the last stage. With sharding off (a reference
/// for benchmarks) every ticket of a mode and size waits in the last stage from the start.
/// </summary>
public static class QueueShards
{
    public const string Any = "*";

    public static IReadOnlyList<string> PathOf(string mode, int size, string? region, NatCapabilities capabilities, bool sharded)
    {
        var final = Key(mode, size, Any, Any);
        if (!sharded)
        {
            return [final];
        }

        var bucket = NatBucket.Of(capabilities);
        var wide = Key(mode, size, Any, bucket);
        return region is null ? [wide, final] : [Key(mode, size, region, bucket), wide, final];
    }

    /// <summary>The stage after <paramref name="key"/> on <paramref name="path"/>; null at the last stage.</summary>
    public static string? NextAfter(string key, IReadOnlyList<string> path)
    {
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (path[i] == key)
            {
                return path[i + 1];
            }
        }

        // Not on the path (the player's NAT changed since it queued): the widest stage still holds it.
        return path[^1] == key ? null : path[^1];
    }

    /// <summary>0 for a regional shard, 1 for any region in one bucket, 2 for the widest.</summary>
    public static int StageOf(string key) => Parse(key).Stage;

    public static int SizeOf(string key) => Parse(key).Size;

    public static string ModeOf(string key) => Parse(key).Mode;

    private static string Key(string mode, int size, string region, string bucket) => $"{mode}/{size}/{region}/{bucket}";

    private static (string Mode, int Size, int Stage) Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 4 || !QueueNames.IsValid(parts[0]) || !int.TryParse(parts[1], out var size)
            || size is < ProtocolLimits.MinPlayers or > ProtocolLimits.MaxPlayers)
        {
            throw new ArgumentException($"'{key}' is not a queue shard key.", nameof(key));
        }

        var stage = parts[2] != Any ? 0 : parts[3] != Any ? 1 : 2;
        return (parts[0], size, stage);
    }
}
