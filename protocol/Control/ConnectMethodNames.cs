namespace Matchmaker.Protocol.Control;

/// <summary>The words the <c>connected</c> event's <c>method</c> field uses; scripts match on them.</summary>
public static class ConnectMethodNames
{
    public static string ToWireName(this ConnectMethod method) => method switch
    {
        ConnectMethod.Direct => "direct",
        ConnectMethod.Ipv6 => "ipv6",
        ConnectMethod.ConeToSymmetric => "cone-to-symmetric",
        ConnectMethod.OpenPort => "open-port",
        ConnectMethod.Upnp => "upnp",
        ConnectMethod.Lan => "lan",
        ConnectMethod.Relay => "relay",
        _ => "unknown",
    };
}
