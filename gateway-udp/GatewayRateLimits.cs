using System.Net;
using Matchmaker.Protocol.Stun;

namespace Matchmaker.Gateway;

/// <summary>
/// Every rate limit the gateway enforces, each a fixed-size <see cref="FixedWindowLimiter"/> allocated at
/// start. Limits are per gateway node: a client keeps talking to the gateway it registered with (only
/// that one passes its NAT), so a node sees all of one source's traffic. Per-player limits that must
/// hold cluster-wide (failed joins, lobbies hosted) live in the player grain instead.
/// </summary>
internal sealed class GatewayRateLimits(GatewayOptions options, TimeProvider clock, GatewayMetrics metrics)
{
    private readonly FixedWindowLimiter _errorReplies = new(options.RateLimitSlots, options.ErrorRepliesPerSecond, TimeSpan.FromSeconds(1));
    private readonly FixedWindowLimiter _failedJoins = new(options.RateLimitSlots, options.FailedJoinsPerMinute, TimeSpan.FromMinutes(1));
    private readonly FixedWindowLimiter _playerRequests = new(options.RateLimitSlots, options.PlayerRequestsPerSecond, TimeSpan.FromSeconds(1));
    private readonly FixedWindowLimiter _allRequests = new(1, options.MaxRequestsPerSecond, TimeSpan.FromSeconds(1));

    /// <summary>Whether an error reply may go to this source's IP now; a refusal is counted.</summary>
    public bool AllowErrorReply(SocketAddress source) =>
        Allow(_errorReplies.TryAcquire(SocketAddressParts.GetAddressBytes(source), Now), RateLimit.ErrorReplies);

    /// <summary>The node-wide and then the player's request budget; a refusal is counted.</summary>
    public bool AllowRequest(Guid playerId)
    {
        if (!Allow(_allRequests.TryAcquire([], Now), RateLimit.GatewayRequests))
        {
            return false;
        }

        Span<byte> key = stackalloc byte[16];
        playerId.TryWriteBytes(key);
        return Allow(_playerRequests.TryAcquire(key, Now), RateLimit.PlayerRequests);
    }

    /// <summary>Whether joins from this source's IP are refused for guessing too many codes; a refusal is counted.</summary>
    public bool JoinsBlocked(SocketAddress source) =>
        !Allow(!_failedJoins.IsExhausted(SocketAddressParts.GetAddressBytes(source), Now), RateLimit.SourceFailedJoins);

    /// <summary>A join named no open lobby: one guess spent from the source IP's budget.</summary>
    public void CountFailedJoin(IPEndPoint source)
    {
        Span<byte> address = stackalloc byte[16];
        var ip = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        ip.TryWriteBytes(address, out var written);
        _failedJoins.TryAcquire(address[..written], Now);
    }

    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    private bool Allow(bool allowed, RateLimit limit)
    {
        if (!allowed)
        {
            metrics.CountRateLimited(limit);
        }

        return allowed;
    }
}
