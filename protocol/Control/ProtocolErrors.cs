namespace Matchmaker.Protocol.Control;

/// <summary>Every error the gateway answers with. Codes follow RFC 8489 §14.8 where a standard one fits.</summary>
public static class ProtocolErrors
{
    public static readonly ProtocolError BadRequest = new(400, "bad-request");

    /// <summary>RFC 8489's 401: here it carries a NONCE cookie the client must echo to prove its address.</summary>
    public static readonly ProtocolError Unauthenticated = new(401, "unauthenticated");
    public static readonly ProtocolError NotRegistered = new(403, "not-registered");
    public static readonly ProtocolError LobbyNotFound = new(404, "lobby-not-found");
    public static readonly ProtocolError LobbyFull = new(409, "lobby-full");
    public static readonly ProtocolError AlreadyInLobby = new(410, "already-in-lobby");
    public static readonly ProtocolError UnknownAttribute = new(420, "unknown-attribute");
    public static readonly ProtocolError RateLimited = new(429, "rate-limited");
    public static readonly ProtocolError StaleNonce = new(438, "stale-nonce");
    public static readonly ProtocolError RelayRequired = new(488, "relay-required");
    public static readonly ProtocolError ServerError = new(500, "server-error");

    /// <summary>The queue shard holds as many tickets as it may; try again later.</summary>
    public static readonly ProtocolError QueueFull = new(507, "queue-full");
    public static readonly ProtocolError Unavailable = new(503, "unavailable");

    /// <summary>A queue request for a mode, lobby size (2–16) or region no queue can hold; refused before any grain is called.</summary>
    public static readonly ProtocolError InvalidQueueSpec = new(422, "invalid-queue-spec");

    private static readonly ProtocolError[] All =
    [
        BadRequest, Unauthenticated, NotRegistered, LobbyNotFound, LobbyFull, AlreadyInLobby,
        UnknownAttribute, RateLimited, StaleNonce, RelayRequired, ServerError, QueueFull, Unavailable,
        InvalidQueueSpec,
    ];

    public static ProtocolError FromWire(int code, string reason)
    {
        foreach (var error in All)
        {
            if (error.Code == code)
            {
                return error;
            }
        }

        return new ProtocolError(code, string.IsNullOrWhiteSpace(reason) ? $"error-{code}" : reason);
    }
}
