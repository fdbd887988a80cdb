namespace Matchmaker.Protocol.Control;

/// <summary>The step of the connection plan (DESIGN.md, from seed 002) an introduction tells both peers to use.</summary>
public enum ConnectMethod : byte
{
    Direct = 1,
    Ipv6 = 2,
    ConeToSymmetric = 3,
    OpenPort = 4,
    Upnp = 5,
    Lan = 6,
    Relay = 7,
}
