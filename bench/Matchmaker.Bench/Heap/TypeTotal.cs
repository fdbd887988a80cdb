namespace Matchmaker.Bench.Heap;

/// <summary>Instances of one type on the heap and their shallow size (the object itself, not what it references).</summary>
public sealed record TypeTotal(string Type, long Count, long Bytes);
