namespace Matchmaker.Tests.NatLab;

/// <summary>One UDP or TCP port mapping as a third-party client (miniupnpc's <c>upnpc -l</c>) lists it on the lab's IGD.</summary>
public sealed record UpnpMapping(string Protocol, int ExternalPort, string InternalAddress, int InternalPort, string Description, int LeaseSeconds)
{
    /// <summary>Parses a listing line such as <c> 0 UDP 30001-&gt;10.0.5.2:20002 'Matchmaker' '' 3587</c>; null for any other line.</summary>
    public static UpnpMapping? TryParse(string line)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line, @"^\s*\d+\s+(UDP|TCP)\s+(\d+)->([\d.]+):(\d+)\s+'([^']*)'\s+'[^']*'\s+(\d+)");
        return match.Success
            ? new UpnpMapping(
                match.Groups[1].Value,
                int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups[3].Value,
                int.Parse(match.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups[5].Value,
                int.Parse(match.Groups[6].Value, System.Globalization.CultureInfo.InvariantCulture))
            : null;
    }
}
