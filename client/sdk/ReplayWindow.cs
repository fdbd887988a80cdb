namespace Matchmaker.Client;

/// <summary>
/// Anti-replay for one peer's signed indications, as IPsec and DTLS do it (RFC 4303 §3.4.3, RFC 6347
/// §4.1.2.6): each sequence number is accepted once, late ones within the last 64 still count (UDP
/// reorders), older ones are refused. Only consulted after the HMAC verified, so a forger cannot move
/// the window.
/// </summary>
internal sealed class ReplayWindow
{
    private const int Width = 64;

    private ulong _highest;

    /// <summary>Bit i set: <c>_highest - i</c> has been accepted.</summary>
    private ulong _seen;

    public bool TryAccept(ulong sequence)
    {
        if (sequence == 0)
        {
            return false;
        }

        if (sequence > _highest)
        {
            var shift = sequence - _highest;
            _seen = shift >= Width ? 1UL : (_seen << (int)shift) | 1UL;
            _highest = sequence;
            return true;
        }

        var offset = _highest - sequence;
        if (offset >= Width)
        {
            return false;
        }

        var bit = 1UL << (int)offset;
        if ((_seen & bit) != 0)
        {
            return false;
        }

        _seen |= bit;
        return true;
    }
}
