using System.Net;
using System.Net.Sockets;

namespace Matchmaker.Client.Upnp;

/// <summary>
/// The SDK's own UPnP IGD client: finds the IGD (SSDP), reads its WAN connection service, maps the
/// client's UDP port, renews a finite lease, and deletes the mapping on shutdown.
/// </summary>
internal sealed class UpnpPortMapper : IAsyncDisposable
{
    /// <summary>Conflicts (718) are retried on other ports this many times, no more.</summary>
    public const int MaxPortAttempts = 8;

    private const string Description = "Matchmaker";

    private readonly HttpClient _http;
    private readonly IgdControlClient _control;

    private UpnpPortMapper(HttpClient http, IgdControlClient control, IPAddress externalAddress)
    {
        _http = http;
        _control = control;
        ExternalAddress = externalAddress;
    }

    /// <summary>The IGD's WAN address as it reports it.</summary>
    public IPAddress ExternalAddress { get; }

    public Uri ControlUrl => _control.Service.ControlUrl;

    public UpnpPortMapping? Mapping { get; private set; }

    /// <summary>
    /// Searches the LAN of <paramref name="lanAddress"/> for an IGD and reads its external address. Null when
    /// none answers within <paramref name="timeout"/>; a <see cref="UpnpException"/> when one answers but fails.
    /// </summary>
    public static async Task<UpnpPortMapper?> DiscoverAsync(IPAddress lanAddress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Uri? location;
        try
        {
            location = await SsdpDiscovery.FindAsync(lanAddress, timeout, cancellationToken);
        }
        catch (SocketException exception)
        {
            throw new UpnpException(0, $"The SSDP search from {lanAddress} failed: {exception.Message}", exception);
        }

        if (location is null)
        {
            return null;
        }

        // Each call is bounded; an IGD is one LAN hop away, so seconds are plenty.
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            IgdService service;
            try
            {
                using var response = await http.GetAsync(location, cancellationToken);
                response.EnsureSuccessStatusCode();
                service = IgdService.Find(await UpnpXml.LoadAsync(response.Content, cancellationToken), location)
                    ?? throw new UpnpException(0, $"The IGD description at {location} names no WANIPConnection or WANPPPConnection service.");
            }
            catch (Exception exception) when (exception is HttpRequestException or System.Xml.XmlException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new UpnpException(0, $"Reading the IGD description at {location} failed: {exception.Message}", exception);
            }

            var control = new IgdControlClient(http, service);
            var external = await control.GetExternalIPAddressAsync(cancellationToken);
            return new UpnpPortMapper(http, control, external);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Maps UDP <paramref name="internalClient"/>'s port on the IGD: the same external port first, then on a
    /// conflict the IGD's own choice (WANIPConnection:2) or random high ports, at most
    /// <see cref="MaxPortAttempts"/> tries. <paramref name="observedPublic"/> is the address the gateway sees.
    /// </summary>
    /// <remarks>
    /// A port already mapped to another internal endpoint counts as a conflict even where the IGD would not
    /// say so: miniupnpd lets a host's new AddPortMapping replace that host's own mapping of the port, which
    /// would silently cut off another program on this machine.
    /// </remarks>
    public async Task<UpnpPortMapping> MapAsync(IPEndPoint internalClient, IPAddress? observedPublic, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (UpnpAddresses.WhyUnusable(ExternalAddress, observedPublic) is { } reason)
        {
            throw new UpnpException(0, $"The IGD at {ControlUrl} reports external address {ExternalAddress}: {reason}");
        }

        var port = internalClient.Port;
        UpnpException? conflict = null;
        for (var attempt = 1; attempt <= MaxPortAttempts; attempt++)
        {
            try
            {
                if (conflict is not null && _control.Service.CanChoosePort)
                {
                    port = await _control.AddAnyPortMappingAsync(port, internalClient, lease, Description, cancellationToken);
                }
                else if (await _control.GetSpecificPortMappingEntryAsync(port, cancellationToken) is { } holder && !holder.Equals(internalClient))
                {
                    throw new UpnpException(UpnpException.ConflictInMappingEntry, $"UDP port {port} on the IGD at {ControlUrl} is mapped to {holder}.");
                }
                else
                {
                    lease = await AddAsync(port, internalClient, lease, cancellationToken);
                }

                Mapping = new UpnpPortMapping(new IPEndPoint(ExternalAddress, port), internalClient, lease, ControlUrl);
                return Mapping;
            }
            catch (UpnpException refused) when (refused.ErrorCode == UpnpException.ConflictInMappingEntry)
            {
                conflict = refused;
                port = Random.Shared.Next(49152, 65536);
            }
        }

        throw new UpnpException(UpnpException.ConflictInMappingEntry, $"{conflict!.Message} Gave up after {MaxPortAttempts} ports.", conflict);
    }

    /// <summary>Restates the mapping before a finite lease runs out (AddPortMapping of the same entry renews it).</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        if (Mapping is { } mapping)
        {
            await AddAsync(mapping.External.Port, mapping.Internal, mapping.Lease, cancellationToken);
        }
    }

    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        if (Mapping is { } mapping)
        {
            Mapping = null;
            await _control.DeletePortMappingAsync(mapping.External.Port, cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>One AddPortMapping; an IGD that only grants permanent leases (725) gets one. Returns the lease granted.</summary>
    private async Task<TimeSpan> AddAsync(int externalPort, IPEndPoint internalClient, TimeSpan lease, CancellationToken cancellationToken)
    {
        try
        {
            await _control.AddPortMappingAsync(externalPort, internalClient, lease, Description, cancellationToken);
            return lease;
        }
        catch (UpnpException refused) when (refused.ErrorCode == UpnpException.OnlyPermanentLeasesSupported && lease > TimeSpan.Zero)
        {
            await _control.AddPortMappingAsync(externalPort, internalClient, TimeSpan.Zero, Description, cancellationToken);
            return TimeSpan.Zero;
        }
    }

    /// <summary>The local address the OS would send to <paramref name="destination"/> from: the LAN address an IGD forwards to.</summary>
    public static IPAddress? SourceAddressFor(IPEndPoint destination)
    {
        try
        {
            using var probe = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(destination);
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
