using Matchmaker.Protocol.Control;

namespace Matchmaker.Tests.Protocol;

/// <summary>The method names scripts match on in the <c>connected</c> event.</summary>
public sealed class ConnectMethodNamesTests
{
    [Theory]
    [InlineData(ConnectMethod.Direct, "direct")]
    [InlineData(ConnectMethod.Ipv6, "ipv6")]
    [InlineData(ConnectMethod.ConeToSymmetric, "cone-to-symmetric")]
    [InlineData(ConnectMethod.OpenPort, "open-port")]
    [InlineData(ConnectMethod.Upnp, "upnp")]
    [InlineData(ConnectMethod.Lan, "lan")]
    [InlineData(ConnectMethod.Relay, "relay")]
    public void Each_method_has_its_wire_name(ConnectMethod method, string name)
    {
        Assert.Equal(name, method.ToWireName());
    }

    [Fact]
    public void Every_defined_method_has_a_distinct_known_name()
    {
        var names = Enum.GetValues<ConnectMethod>().Select(m => m.ToWireName()).ToList();

        Assert.DoesNotContain("unknown", names);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal("unknown", ((ConnectMethod)0).ToWireName());
    }
}
