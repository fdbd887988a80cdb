using System.Net;

namespace Matchmaker.Grains.Models;

/// <summary>
/// A Binding request with CHANGE-REQUEST change-IP that one gateway received and asks a peer to answer
/// from <see cref="Origin"/> (one of the peer's own sockets). The answer is the Binding success response
/// the receiving gateway would have sent: <see cref="Mapped"/> as XOR-MAPPED-ADDRESS, to
/// <see cref="Destination"/> (the source, or its RESPONSE-PORT), within <see cref="MaxLength"/> bytes,
/// the anti-amplification budget of the original request.
/// </summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.PeerChangeRequest")]
public sealed record PeerChangeRequest(
    [property: Id(0)] byte[] TransactionId,
    [property: Id(1)] IPEndPoint Mapped,
    [property: Id(2)] IPEndPoint Destination,
    [property: Id(3)] IPEndPoint Origin,
    [property: Id(4)] IPEndPoint? Other,
    [property: Id(5)] bool Fingerprint,
    [property: Id(6)] int MaxLength);
