using System.Runtime.CompilerServices;

namespace Matchmaker.Gateway;

/// <summary>
/// A player's derived key, held inline (no array) so the request that proved it can carry it to the reply:
/// deriving costs an HMAC, and a heartbeat would otherwise derive it twice, once to verify and once to sign.
/// </summary>
[InlineArray(GatewayKeys.PlayerKeyLength)]
internal struct PlayerKey
{
    private byte _first;
}
