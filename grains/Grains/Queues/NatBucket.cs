using Matchmaker.Protocol.Control;

namespace Matchmaker.Grains.Queues;

/// <summary>
/// The NAT-compatibility bucket a ticket starts in. Buckets are chosen so that a bucket can match its
/// own tickets without help: <see cref="Cone"/> holds cones that filter by port (everyone in it is
/// pairwise direct); <see cref="Open"/> holds what can accept a symmetric NAT's unpredictable port — full
/// and address-restricted cones, open and UPnP ports — together with the symmetric NATs that need them.
/// </summary>
public static class NatBucket
{
    public const string Cone = "cone";
    public const string Open = "open";

    public static string Of(NatCapabilities capabilities)
    {
        var endpointIndependent = capabilities.Mapping is NatMapping.EndpointIndependent or NatMapping.Unknown;
        var acceptsAnyPort = capabilities.Filtering is NatFiltering.EndpointIndependent or NatFiltering.AddressDependent;
        return endpointIndependent && !acceptsAnyPort && !capabilities.OpenPort && !capabilities.Upnp ? Cone : Open;
    }
}
