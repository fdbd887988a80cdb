using System.Xml.Linq;

namespace Matchmaker.Client.Upnp;

/// <summary>
/// The WAN connection service of an IGD that port mappings are made on, read from its device
/// description (UPnP IGD:1/IGD:2): WANIPConnection:2, else :1, else WANPPPConnection:1.
/// </summary>
internal sealed record IgdService(Uri ControlUrl, string ServiceType)
{
    private static readonly string[] Preferred =
    [
        "urn:schemas-upnp-org:service:WANIPConnection:2",
        "urn:schemas-upnp-org:service:WANIPConnection:1",
        "urn:schemas-upnp-org:service:WANPPPConnection:1",
    ];

    /// <summary>IGD:2's WANIPConnection:2 can choose a free external port itself (AddAnyPortMapping).</summary>
    public bool CanChoosePort => ServiceType.EndsWith(":WANIPConnection:2", StringComparison.Ordinal);

    /// <summary>The preferred service in a description, with its control URL resolved against URLBase or the description's own URL.</summary>
    public static IgdService? Find(XDocument description, Uri location)
    {
        var root = description.Root;
        if (root is null)
        {
            return null;
        }

        var urlBase = root.Elements().FirstOrDefault(e => e.Name.LocalName == "URLBase")?.Value.Trim();
        var baseUri = !string.IsNullOrEmpty(urlBase) && Uri.TryCreate(urlBase, UriKind.Absolute, out var declared) ? declared : location;
        var services = root.Descendants()
            .Where(e => e.Name.LocalName == "service")
            .Select(e => (Type: Child(e, "serviceType"), Control: Child(e, "controlURL")))
            .Where(s => s.Type is not null && s.Control is not null)
            .ToList();
        foreach (var type in Preferred)
        {
            foreach (var service in services.Where(s => s.Type == type))
            {
                if (Uri.TryCreate(baseUri, service.Control, out var control) && control.Scheme == Uri.UriSchemeHttp && control.Host == location.Host)
                {
                    return new IgdService(control, type);
                }
            }
        }

        return null;
    }

    private static string? Child(XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
}
