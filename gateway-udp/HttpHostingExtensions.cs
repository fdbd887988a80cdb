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
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Any, http.Port));
        return builder;
    }
}
