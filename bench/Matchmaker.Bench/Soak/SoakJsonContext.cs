using System.Text.Json.Serialization;

namespace Matchmaker.Bench.Soak;

[JsonSerializable(typeof(SoakResult))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class SoakJsonContext : JsonSerializerContext;
