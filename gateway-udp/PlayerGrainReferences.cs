using Matchmaker.Grains;
using Orleans.Metadata;

namespace Matchmaker.Gateway;

/// <summary>
/// References to player grains for the per-request path. <see cref="IGrainFactory.GetGrain{TGrainInterface}(Guid, string)"/>
/// works out the interface's Orleans type from its attributes and name on every call (reflection, not cached in Orleans
/// 10.4): about 7 % of a node's CPU when every heartbeat goes to its grain (bench/README.md). That type is fixed for the
/// process, so it is worked out once; the grain type still comes from the cluster manifest on each call, as Orleans does.
/// </summary>
internal sealed class PlayerGrainReferences(IGrainFactory grains, GrainInterfaceTypeResolver interfaceTypes, GrainInterfaceTypeToGrainTypeResolver grainTypes)
{
    private readonly GrainInterfaceType _interfaceType = interfaceTypes.GetGrainInterfaceType(typeof(IPlayerGrain));

    public IPlayerGrain Get(Guid player) =>
        (IPlayerGrain)grains.GetGrain(GrainId.Create(grainTypes.GetGrainType(_interfaceType), GrainIdKeyExtensions.CreateGuidKey(player)), _interfaceType);
}
