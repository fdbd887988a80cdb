using System.Diagnostics.Metrics;

namespace Matchmaker.Gateway;

/// <summary>
/// <c>matchmaker_gateway_packets_total{type,result}</c>: every datagram is counted exactly once, so a
/// flood shows up as a number rather than as silence. Tag values come from fixed sets.
/// </summary>
public sealed class GatewayMetrics
{
    private readonly Counter<long> _packets;
    private readonly Counter<long> _pushes;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create("Matchmaker");
        _packets = meter.CreateCounter<long>("matchmaker_gateway_packets", description: "Datagrams received by the gateway, by message type and outcome.");
        _pushes = meter.CreateCounter<long>("matchmaker_gateway_pushes", description: "Pushes to players (introductions, lobby closed), by outcome: acked, abandoned, shed.");
    }

    public void Count(string type, string result) =>
        _packets.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("result", result));

    public void CountPush(string result) => _pushes.Add(1, new KeyValuePair<string, object?>("result", result));
}
