namespace Matchmaker.Tests.Cluster;

/// <summary>A silo or gateway process of the test cluster and the ports it was given.</summary>
internal sealed record ClusterMember(ChildProcess Process, int HttpPort, int SiloPort, int OrleansGatewayPort)
{
    public Uri Http => new($"http://127.0.0.1:{HttpPort}");
}
