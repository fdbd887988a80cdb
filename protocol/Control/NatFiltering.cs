namespace Matchmaker.Protocol.Control;

/// <summary>Which inbound packets a NAT lets through an existing mapping (RFC 4787 §5, RFC 5780 §4.4).</summary>
public enum NatFiltering : byte
{
    Unknown = 0,
    EndpointIndependent = 1,
    AddressDependent = 2,
    AddressAndPortDependent = 3,
}
