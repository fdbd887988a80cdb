using System.Net;
using System.Xml.Linq;
using Matchmaker.Client.Upnp;

namespace Matchmaker.Tests.Client;

/// <summary>
/// What the SDK's IGD client takes from the LAN: SSDP answers, device descriptions and external addresses.
/// Anything on the LAN can answer SSDP, so each must only ever lead to the device that answered.
/// </summary>
public sealed class UpnpParsingTests
{
    private static readonly IPAddress Router = IPAddress.Parse("10.0.5.1");

    [Fact]
    public void An_SSDP_answer_is_taken_only_for_a_description_on_the_host_that_sent_it()
    {
        const string Answer = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nlocation: http://10.0.5.1:5000/rootDesc.xml\r\n\r\n";

        Assert.True(SsdpDiscovery.TryReadLocation(Answer, Router, out var location));
        Assert.Equal(new Uri("http://10.0.5.1:5000/rootDesc.xml"), location);
        Assert.False(SsdpDiscovery.TryReadLocation(Answer, IPAddress.Parse("10.0.5.9"), out _));
        Assert.False(SsdpDiscovery.TryReadLocation(Answer.Replace("200 OK", "404 Not Found", StringComparison.Ordinal), Router, out _));
        Assert.False(SsdpDiscovery.TryReadLocation(Answer.Replace("http://", "https://", StringComparison.Ordinal), Router, out _));
    }

    [Fact]
    public void The_description_yields_the_best_WAN_service_with_its_control_URL_resolved()
    {
        var location = new Uri("http://10.0.5.1:5000/rootDesc.xml");

        var v2 = IgdService.Find(Description(("WANPPPConnection:1", "/ctl/PPP"), ("WANIPConnection:2", "/ctl/IPConn")), location);
        var ppp = IgdService.Find(Description(("WANPPPConnection:1", "ctl/PPP")), location);

        Assert.Equal(new IgdService(new Uri("http://10.0.5.1:5000/ctl/IPConn"), "urn:schemas-upnp-org:service:WANIPConnection:2"), v2);
        Assert.True(v2!.CanChoosePort);
        Assert.Equal(new Uri("http://10.0.5.1:5000/ctl/PPP"), ppp!.ControlUrl);
        Assert.False(ppp.CanChoosePort);
    }

    [Fact]
    public void A_description_pointing_control_elsewhere_or_without_a_WAN_service_yields_none()
    {
        var location = new Uri("http://10.0.5.1:5000/rootDesc.xml");

        Assert.Null(IgdService.Find(Description(("WANIPConnection:1", "http://192.0.2.1/ctl")), location));
        Assert.Null(IgdService.Find(Description(("Layer3Forwarding:1", "/ctl/L3F")), location));
    }

    [Theory]
    [InlineData("203.0.113.50", "203.0.113.50", true)]  // documentation range, as in the NAT lab: accepted
    [InlineData("198.51.100.7", null, true)]
    [InlineData("203.0.113.50", "198.51.100.7", false)] // the gateway sees another address: a second NAT
    [InlineData("192.168.1.1", null, false)]
    [InlineData("10.1.2.3", null, false)]
    [InlineData("172.16.0.1", null, false)]
    [InlineData("100.64.0.1", null, false)]             // RFC 6598 shared address space
    [InlineData("127.0.0.1", null, false)]
    [InlineData("169.254.0.1", null, false)]
    [InlineData("0.0.0.0", null, false)]
    public void External_addresses_are_refused_only_when_unreachable(string external, string? observed, bool usable)
    {
        var reason = UpnpAddresses.WhyUnusable(IPAddress.Parse(external), observed is null ? null : IPAddress.Parse(observed));

        Assert.Equal(usable, reason is null);
    }

    private static XDocument Description(params (string Type, string Control)[] services)
    {
        XNamespace ns = "urn:schemas-upnp-org:device-1-0";
        return new XDocument(new XElement(
            ns + "root",
            new XElement(ns + "device", new XElement(ns + "serviceList", services.Select(s => new XElement(
                ns + "service",
                new XElement(ns + "serviceType", "urn:schemas-upnp-org:service:" + s.Type),
                new XElement(ns + "controlURL", s.Control)))))));
    }
}
