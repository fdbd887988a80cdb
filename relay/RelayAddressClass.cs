namespace Matchmaker.Relay;

/// <summary>Why an address may or may not be forwarded to (the metric's drop reason names the refusal).</summary>
public enum RelayAddressClass
{
    Public,
    Unspecified,
    Loopback,
    Private,
    LinkLocal,
    Multicast,
    Documentation,
    Reserved,
}
