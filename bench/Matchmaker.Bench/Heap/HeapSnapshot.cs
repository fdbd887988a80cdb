using System.Text.Json;

namespace Matchmaker.Bench.Heap;

/// <summary>
/// Per-type totals of one heap walk. <see cref="LiveOnly"/> says whether only objects reachable from
/// the roots were counted (a mark from the roots) or every object the segments hold (which includes
/// whatever was allocated and dropped since the last collection).
/// </summary>
public sealed record HeapSnapshot(DateTimeOffset TakenAt, int ProcessId, bool LiveOnly, long LiveHeapAfterGcBytes, IReadOnlyList<TypeTotal> Types)
{
    public long Count => Types.Sum(type => type.Count);

    public long Bytes => Types.Sum(type => type.Bytes);

    public static HeapSnapshot Load(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize(stream, HeapJsonContext.Default.HeapSnapshot)
            ?? throw new InvalidDataException($"{path} holds no heap snapshot");
    }

    public void Save(string path)
    {
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, this, HeapJsonContext.Default.HeapSnapshot);
    }

    /// <summary>Every type present in either snapshot, with the change from <paramref name="baseline"/> to this one, largest byte growth first.</summary>
    public IReadOnlyList<TypeGrowth> GrowthSince(HeapSnapshot baseline)
    {
        var before = baseline.Types.ToDictionary(type => type.Type, StringComparer.Ordinal);
        var after = Types.ToDictionary(type => type.Type, StringComparer.Ordinal);
        return before.Keys.Union(after.Keys, StringComparer.Ordinal)
            .Select(name => new TypeGrowth(
                before.GetValueOrDefault(name) ?? new TypeTotal(name, 0, 0),
                after.GetValueOrDefault(name) ?? new TypeTotal(name, 0, 0)))
            .OrderByDescending(growth => growth.Bytes)
            .ThenByDescending(growth => growth.Count)
            .ToList();
    }
}
