using Matchmaker.Grains.Models;

namespace Matchmaker.Grains;

/// <summary>Giving a pair's allocation back to both players' cluster-wide caps (fire and forget: the entries lapse anyway).</summary>
internal static class RelayQuota
{
    public static void Release(IGrainFactory grains, RelayRequest request)
    {
        grains.GetGrain<IRelayQuotaGrain>(request.PlayerA).ReleaseAsync(request.IntroductionId).Ignore();
        grains.GetGrain<IRelayQuotaGrain>(request.PlayerB).ReleaseAsync(request.IntroductionId).Ignore();
    }
}
