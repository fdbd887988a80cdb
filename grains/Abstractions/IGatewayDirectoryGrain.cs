using System.Collections.Immutable;
using Matchmaker.Grains.Models;

namespace Matchmaker.Grains;

/// <summary>
/// The cluster's list of gateway nodes (key 0), so a node with one IP can name and use another node's
/// address for RFC 5780 change-IP. Off the packet path by design: each gateway calls it once per
/// refresh interval and answers Binding requests from its own cached copy, so one grain is fine here.
/// </summary>
[Alias("Matchmaker.IGatewayDirectoryGrain")]
public interface IGatewayDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or refreshes the caller and returns every other live gateway.</summary>
    [Alias("Announce")]
    Task<ImmutableArray<GatewayAnnouncement>> AnnounceAsync(GatewayAnnouncement self);

    [Alias("Withdraw")]
    Task WithdrawAsync(Guid nodeId);
}
