namespace Matchmaker.Bench.JoinLatency;

/// <summary>One benchmarked pair: the lab side that hosts the lobby and the lab side that joins it.</summary>
internal sealed record LabPair(LabSide Host, LabSide Joiner)
{
    /// <summary>Parses <c>HOST:JOINER</c>, e.g. <c>full-cone:symmetric</c> or <c>upnp+open-port:symmetric</c>.</summary>
    public static bool TryParse(string text, out LabPair pair)
    {
        var parts = text.Split(':');
        pair = new LabPair(new LabSide(parts[0]), new LabSide(parts.Length == 2 ? parts[1] : ""));
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 && !(pair.Host.IsOpenPort && pair.Joiner.IsOpenPort);
    }

    public bool NeedsOpenPort => Host.IsOpenPort || Joiner.IsOpenPort;

    public override string ToString() => $"{Host}:{Joiner}";
}
