namespace Matchmaker.Protocol.Control;

/// <summary>How a NAT picks the public port for an outbound flow (RFC 4787 §4.1, RFC 5780 §4.3).</summary>
public enum NatMapping : byte
{
    Unknown = 0,
    EndpointIndependent = 1,
    AddressDependent = 2,
    AddressAndPortDependent = 3,
}
