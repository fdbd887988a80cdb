using System.Text.Json.Serialization;

namespace Matchmaker.Bench.Heap;

[JsonSerializable(typeof(HeapSnapshot))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class HeapJsonContext : JsonSerializerContext;
