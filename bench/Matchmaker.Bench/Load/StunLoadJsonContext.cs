using System.Text.Json.Serialization;

namespace Matchmaker.Bench.Load;

/// <summary>Source-generated, so <c>--json</c> needs no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StunLoadResult))]
internal sealed partial class StunLoadJsonContext : JsonSerializerContext;
