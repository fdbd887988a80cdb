using System.Net;

namespace Matchmaker.Client.Upnp;

/// <summary>A UDP port mapping held on the player's IGD: peers reach <see cref="External"/>, the IGD forwards to <see cref="Internal"/>.</summary>
public sealed record UpnpPortMapping(IPEndPoint External, IPEndPoint Internal, TimeSpan Lease, Uri ControlUrl);
