using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains.Models;

/// <summary>Carries the protocol's <see cref="ConnectMethod"/> across grain calls as its wire byte.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.ConnectMethod")]
public readonly record struct ConnectMethodSurrogate([property: Id(0)] byte Value);

[RegisterConverter]
public sealed class ConnectMethodConverter : IConverter<ConnectMethod, ConnectMethodSurrogate>
{
    public ConnectMethod ConvertFromSurrogate(in ConnectMethodSurrogate surrogate) => (ConnectMethod)surrogate.Value;

    public ConnectMethodSurrogate ConvertToSurrogate(in ConnectMethod value) => new((byte)value);
}
