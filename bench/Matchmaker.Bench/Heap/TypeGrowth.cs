namespace Matchmaker.Bench.Heap;

/// <summary>One type's totals in two snapshots.</summary>
public sealed record TypeGrowth(TypeTotal Before, TypeTotal After)
{
    public string Type => After.Type;

    public long Count => After.Count - Before.Count;

    public long Bytes => After.Bytes - Before.Bytes;
}
