using System.Net;
using Matchmaker.Gateway;
using Matchmaker.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Tests.Infrastructure;

/// <summary>
/// The real embedded silo — Orleans, the UDP gateway, HTTP health and metrics — built exactly as
/// <c>dotnet run --project silo</c> builds it, on loopback ports chosen for this test run, with
/// 127.0.0.2 as the RFC 5780 alternate address (all of 127/8 is loopback on Linux).
/// </summary>
public sealed class SiloFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public IPEndPoint Gateway { get; private set; } = null!;

    public IPEndPoint AlternatePort { get; private set; } = null!;

    /// <summary>The gateway's IPv6 primary endpoint (<c>Gateway:Address6=::1</c>), which it names to registered clients.</summary>
    public IPEndPoint Gateway6 { get; private set; } = null!;

    public IPEndPoint AlternateAddress { get; private set; } = null!;

    public IPEndPoint AlternateBoth { get; private set; } = null!;

    public Uri Http { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>Every call to a player grain, by player, with the kind of thread that made it.</summary>
    public PlayerCallRecorder PlayerCalls { get; } = new();

    public async Task InitializeAsync()
    {
        _app = MatchmakerSilo.Build(
        [
            "--Gateway:Address=127.0.0.1", "--Gateway:AlternateAddress=127.0.0.2", "--Gateway:Address6=::1", "--Gateway:Port=0", "--Gateway:AlternatePort=0", "--Http:Port=0",
            "--Relay:Address=127.0.0.1", "--Relay:Port=0", "--Relay:AllowLoopback=true", "--Relay:HeartbeatInterval=00:00:00.500",
            $"--Orleans:SiloPort={FreePorts.Tcp()}", $"--Orleans:GatewayPort={FreePorts.Tcp()}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Matchmaker.Gateway.GatewayService=Error", "--Shutdown:ReadinessDrain=00:00:00",
        ],
        builder => builder.Services.AddSingleton<IOutgoingGrainCallFilter>(PlayerCalls));
        await _app.StartAsync();
        var listeners = Services.GetRequiredService<GatewayListeners>();
        Gateway = listeners.Primary;
        var ipv4 = listeners.Endpoints.Where(e => e.Endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).ToList();
        AlternatePort = ipv4.Single(e => e.Role == "alternate-port").Endpoint;
        AlternateAddress = ipv4.Single(e => e.Role == "alternate-address").Endpoint;
        AlternateBoth = ipv4.Single(e => e.Role == "alternate-address-and-port").Endpoint;
        Gateway6 = listeners.PrimaryIpv6!;
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
