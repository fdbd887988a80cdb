using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Gateway;

public static class HttpHostingExtensions
{
    /// <summary>Binds <c>Http:Port</c> (validated at start) over a host-specific default and listens on it.</summary>
    public static WebApplicationBuilder AddMatchmakerHttp(this WebApplicationBuilder builder, int defaultPort)
    {
        var section = builder.Configuration.GetSection(HttpOptions.Section);
        builder.Services.AddOptions<HttpOptions>().Configure(options => options.Port = defaultPort).Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var http = new HttpOptions { Port = defaultPort };
        section.Bind(http);
        if (http.Port is < 0 or > 65535)
        {
            // Kestrel would fail first, with a message that does not name the configuration key.
            throw new InvalidOperationException($"Http:Port {http.Port} is not a port (0 to 65535).");
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Any, http.Port));
        return builder;
    }
}
