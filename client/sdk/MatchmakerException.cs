using Matchmaker.Protocol.Control;

namespace Matchmaker.Client;

/// <summary>A failure the caller can act on; <see cref="Code"/> is the stable slug (e.g. <c>lobby-not-found</c>).</summary>
public sealed class MatchmakerException : Exception
{
    public MatchmakerException(ProtocolError error, string message)
        : base(message)
    {
        Error = error;
    }

    public MatchmakerException()
        : this(ProtocolErrors.ServerError, "Matchmaker request failed.")
    {
    }

    public MatchmakerException(string message)
        : this(ProtocolErrors.ServerError, message)
    {
    }

    public MatchmakerException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = ProtocolErrors.ServerError;
    }

    public ProtocolError Error { get; }

    public string Code => Error.Slug;
}
