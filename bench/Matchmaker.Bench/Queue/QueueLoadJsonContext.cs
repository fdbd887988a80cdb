using System.Text.Json.Serialization;

namespace Matchmaker.Bench.Queue;

/// <summary>Source-generated, so <c>--json</c> needs no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(QueueLoadResult))]
internal sealed partial class QueueLoadJsonContext : JsonSerializerContext;
