namespace Matchmaker.Bench.JoinLatency;

/// <summary>One benchmarked pair: the lab host that hosts the lobby and the lab host that joins it (natlab.sh host names).</summary>
internal sealed record LabPair(string Host, string Joiner)
{
    /// <summary>Parses <c>HOST:JOINER</c>, e.g. <c>full-cone:symmetric</c>.</summary>
    public static bool TryParse(string text, out LabPair pair)
    {
        var parts = text.Split(':');
        pair = new LabPair(parts[0], parts.Length == 2 ? parts[1] : "");
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0;
    }

    public override string ToString() => $"{Host}:{Joiner}";
}
