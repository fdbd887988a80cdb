using System.Net;
using System.Net.Sockets;
using Matchmaker.Client.Upnp;

namespace Matchmaker.Client;

/// <summary>
/// The ways a peer can reach this player beyond hole punching to its public IPv4 endpoint: its public IPv6
/// endpoint, and an endpoint that accepts unsolicited packets — a UPnP mapping on the IGD, or a port the
/// player declared open. Owns the UPnP mapping's life: renewal of a finite lease, deletion on dispose.
/// </summary>
internal sealed class Reachability(ClientTransport transport, MatchmakerClientOptions options) : IAsyncDisposable
{
    private static readonly TimeSpan DeleteTimeout = TimeSpan.FromSeconds(1.5);

    private readonly CancellationTokenSource _discoveryStop = new();
    private Task<UpnpPortMapper?>? _discovery;
    private UpnpPortMapper? _mapper;
    private IPAddress? _lanAddress;

    public IPEndPoint? Ipv6EndPoint { get; private set; }

    public IPEndPoint? ListenEndPoint { get; private set; }

    public UpnpPortMapping? UpnpMapping => _mapper?.Mapping;

    public string? UpnpError { get; private set; }

    /// <summary>The external port the player declared forwarded, if any (the capability flag alone means "the local port").</summary>
    private int? DeclaredOpenPort => options.OpenPort ?? (options.Capabilities.OpenPort ? 0 : null);

    /// <summary>Starts the SSDP search at once, so its wait overlaps NAT discovery and registration.</summary>
    public void StartDiscovery(CancellationToken cancellationToken)
    {
        if (!options.Upnp || DeclaredOpenPort is not null || options.Server.AddressFamily != AddressFamily.InterNetwork)
        {
            return;
        }

        var bound = transport.LocalEndPoint.Address;
        _lanAddress = bound.Equals(IPAddress.Any) ? UpnpPortMapper.SourceAddressFor(options.Server) : bound;
        if (_lanAddress is null || IPAddress.IsLoopback(_lanAddress))
        {
            return;
        }

        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _discoveryStop.Token);
        _discovery = UpnpPortMapper.DiscoverAsync(_lanAddress, options.UpnpDiscoveryTimeout, linked.Token);
        _discovery.ContinueWith(_ => linked.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Learns the IPv6 endpoint and the listen endpoint once registered (the public address is known then).</summary>
    public async Task LearnAsync(IPEndPoint? publicEndPoint, IPEndPoint? gatewayIpv6, CancellationToken cancellationToken)
    {
        if (options.Ipv6)
        {
            var candidate = publicEndPoint?.AddressFamily == AddressFamily.InterNetworkV6
                ? publicEndPoint
                : gatewayIpv6 is not null && transport.CanReach(AddressFamily.InterNetworkV6)
                    ? await new NatClassifier(transport, gatewayIpv6, options.NatProbeTimeout, options.RequestTimeout).MappedAsync(cancellationToken)
                    : null;
            Ipv6EndPoint = candidate is { Address: { AddressFamily: AddressFamily.InterNetworkV6, IsIPv6LinkLocal: false, IsIPv4MappedToIPv6: false } } ? candidate : null;
        }

        if (DeclaredOpenPort is { } declared && publicEndPoint is not null)
        {
            ListenEndPoint = new IPEndPoint(publicEndPoint.Address, declared == 0 ? transport.LocalEndPoint.Port : declared);
            return;
        }

        if (_discovery is null)
        {
            return;
        }

        if (publicEndPoint is not null && publicEndPoint.Address.Equals(_lanAddress))
        {
            // The gateway sees the socket's own address: no NAT, nothing to map, no need to wait for the search.
            await _discoveryStop.CancelAsync();
            return;
        }

        try
        {
            _mapper = await _discovery;
            if (_mapper is not null)
            {
                var mapping = await _mapper.MapAsync(new IPEndPoint(_lanAddress!, transport.LocalEndPoint.Port), publicEndPoint?.Address, options.UpnpLeaseDuration, cancellationToken);
                ListenEndPoint = mapping.External;
            }
        }
        catch (UpnpException refused)
        {
            // UPnP is an extra path, not a requirement: the player goes on without it and can see why.
            UpnpError = refused.Message;
        }
    }

    /// <summary>Renews a finite UPnP lease at half-life until stopped.</summary>
    public async Task RenewLoopAsync(CancellationToken stopping)
    {
        while (UpnpMapping is { Lease: var lease } && lease > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(lease / 2, options.TimeProvider, stopping);
                await _mapper!.RenewAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (UpnpException refused)
            {
                UpnpError = refused.Message;
            }
        }
    }

    /// <summary>Deletes the UPnP mapping (bounded: a vanished IGD must not hold up shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_mapper is null && _discovery is not null)
        {
            // Connect failed while the search was running: wait for it (bounded by its timeout) to release it.
            _mapper = await _discovery.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default);
        }

        _discoveryStop.Dispose();
        if (_mapper is null)
        {
            return;
        }

        try
        {
            using var quick = new CancellationTokenSource(DeleteTimeout);
            await _mapper.DeleteAsync(quick.Token);
        }
        catch (Exception exception) when (exception is UpnpException or OperationCanceledException)
        {
            // Best effort: a finite lease still ends the mapping on the IGD.
        }

        await _mapper.DisposeAsync();
    }
}
