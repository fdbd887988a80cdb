using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains.Models;

/// <summary>
/// Lets <see cref="NatCapabilities"/> cross grain calls in its wire encoding, so the protocol library
/// stays free of Orleans (the client SDK references it) and the two never drift apart.
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.NatCapabilities")]
public readonly record struct NatCapabilitiesSurrogate([property: Id(0)] uint Encoded);

[RegisterConverter]
public sealed class NatCapabilitiesConverter : IConverter<NatCapabilities, NatCapabilitiesSurrogate>
{
    public NatCapabilities ConvertFromSurrogate(in NatCapabilitiesSurrogate surrogate) =>
        NatCapabilities.TryDecode(surrogate.Encoded, out var value) ? value : NatCapabilities.Unknown;

    public NatCapabilitiesSurrogate ConvertToSurrogate(in NatCapabilities value) => new(value.Encode());
}
