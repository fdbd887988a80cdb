using Matchmaker.Grains;

namespace Matchmaker.Gateway;

/// <summary>
/// This node's <see cref="IGatewayPush"/> grain-observer reference, created once the cluster
/// connection is up and handed to player grains with every heartbeat.
/// </summary>
internal sealed class PushObserverReference
{
    private IGatewayPush? _reference;

    public IGatewayPush Value => _reference ?? throw new InvalidOperationException("The gateway's push observer is not registered yet.");

    public bool IsReady => _reference is not null;

    public void Set(IGatewayPush reference) => _reference = reference;
}
