namespace Matchmaker.Protocol.Control;

/// <summary>
/// An error a client can act on: a STUN error code (RFC 8489 §14.8, classes 3–6) and a stable slug
/// carried as the reason phrase. Slugs are the public interface (the CLI's <c>"code"</c>); never rename one.
/// </summary>
public sealed record ProtocolError(int Code, string Slug)
{
    public override string ToString() => $"{Code} {Slug}";
}
