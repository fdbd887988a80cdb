using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Matchmaker.Client.Upnp;

/// <summary>
/// SOAP actions on an IGD's WAN connection service (UPnP IGD WANIPConnection:1/2, §2.4): external
/// address, add, add-any (v2) and delete port mapping. A fault becomes a <see cref="UpnpException"/>
/// carrying the UPnP error code.
/// </summary>
internal sealed class IgdControlClient(HttpClient http, IgdService service)
{
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";

    public IgdService Service => service;

    public async Task<IPAddress> GetExternalIPAddressAsync(CancellationToken cancellationToken)
    {
        var answer = await InvokeAsync("GetExternalIPAddress", [], cancellationToken);
        var text = Output(answer, "NewExternalIPAddress");
        return IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork
            ? address
            : throw new UpnpException(0, $"The IGD at {service.ControlUrl} reported no usable external IPv4 address ('{text}').");
    }

    /// <summary>The internal client a UDP external port is mapped to, or null when it is free (714 NoSuchEntryInArray).</summary>
    public async Task<IPEndPoint?> GetSpecificPortMappingEntryAsync(int externalPort, CancellationToken cancellationToken)
    {
        XElement answer;
        try
        {
            answer = await InvokeAsync(
                "GetSpecificPortMappingEntry",
                [("NewRemoteHost", string.Empty), ("NewExternalPort", externalPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("NewProtocol", "UDP")],
                cancellationToken);
        }
        catch (UpnpException missing) when (missing.ErrorCode == UpnpException.NoSuchEntryInArray)
        {
            return null;
        }

        return IPAddress.TryParse(Output(answer, "NewInternalClient"), out var client) && int.TryParse(Output(answer, "NewInternalPort"), out var port) && port is > 0 and <= 65535
            ? new IPEndPoint(client, port)
            : throw new UpnpException(0, $"The IGD at {service.ControlUrl} described port {externalPort}'s mapping without a valid internal client.");
    }

    public Task AddPortMappingAsync(int externalPort, IPEndPoint internalClient, TimeSpan lease, string description, CancellationToken cancellationToken) =>
        InvokeAsync("AddPortMapping", MappingArguments(externalPort, internalClient, lease, description), cancellationToken);

    /// <summary>WANIPConnection:2 only: the IGD maps <paramref name="externalPort"/> or, if taken, a free port it chooses.</summary>
    public async Task<int> AddAnyPortMappingAsync(int externalPort, IPEndPoint internalClient, TimeSpan lease, string description, CancellationToken cancellationToken)
    {
        var answer = await InvokeAsync("AddAnyPortMapping", MappingArguments(externalPort, internalClient, lease, description), cancellationToken);
        return int.TryParse(Output(answer, "NewReservedPort"), out var port) && port is > 0 and <= 65535
            ? port
            : throw new UpnpException(0, $"The IGD at {service.ControlUrl} reserved no valid port.");
    }

    public Task DeletePortMappingAsync(int externalPort, CancellationToken cancellationToken) =>
        InvokeAsync(
            "DeletePortMapping",
            [("NewRemoteHost", string.Empty), ("NewExternalPort", externalPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("NewProtocol", "UDP")],
            cancellationToken);

    private static (string, string)[] MappingArguments(int externalPort, IPEndPoint internalClient, TimeSpan lease, string description) =>
    [
        ("NewRemoteHost", string.Empty),
        ("NewExternalPort", externalPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("NewProtocol", "UDP"),
        ("NewInternalPort", internalClient.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("NewInternalClient", internalClient.Address.ToString()),
        ("NewEnabled", "1"),
        ("NewPortMappingDescription", description),
        ("NewLeaseDuration", ((long)lease.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private async Task<XElement> InvokeAsync(string action, (string Name, string Value)[] arguments, CancellationToken cancellationToken)
    {
        var body = new StringBuilder()
            .Append("<?xml version=\"1.0\"?>")
            .Append("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>")
            .Append("<u:").Append(action).Append(" xmlns:u=\"").Append(service.ServiceType).Append("\">");
        foreach (var (name, value) in arguments)
        {
            body.Append('<').Append(name).Append('>').Append(SecurityElement.Escape(value)).Append("</").Append(name).Append('>');
        }

        body.Append("</u:").Append(action).Append("></s:Body></s:Envelope>");
        using var request = new HttpRequestMessage(HttpMethod.Post, service.ControlUrl)
        {
            Content = new StringContent(body.ToString(), Encoding.UTF8, "text/xml"),
        };
        request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{service.ServiceType}#{action}\"");
        XDocument answer;
        HttpStatusCode status;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            status = response.StatusCode;
            answer = await UpnpXml.LoadAsync(response.Content, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or XmlException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new UpnpException(0, $"{action} at {service.ControlUrl} failed: {exception.Message}", exception);
        }

        var soapBody = answer.Root?.Element(Soap + "Body");
        if (soapBody?.Element(Soap + "Fault") is { } fault)
        {
            var error = fault.Descendants().FirstOrDefault(e => e.Name.LocalName == "UPnPError");
            var code = int.TryParse(error?.Elements().FirstOrDefault(e => e.Name.LocalName == "errorCode")?.Value, out var parsed) ? parsed : 0;
            var reason = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "errorDescription")?.Value ?? "no description";
            throw new UpnpException(code, $"The IGD at {service.ControlUrl} refused {action}: {code} {reason}.");
        }

        return soapBody?.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Response")
            ?? throw new UpnpException(0, $"{action} at {service.ControlUrl} answered HTTP {(int)status} without a {action}Response.");
    }

    private static string? Output(XElement response, string name) =>
        response.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
}
