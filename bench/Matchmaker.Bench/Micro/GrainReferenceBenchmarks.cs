using BenchmarkDotNet.Attributes;
using Matchmaker.Gateway;
using Matchmaker.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Matchmaker.Bench.Micro;

/// <summary>
/// A player grain reference, as the gateway needs one per forwarded request: Orleans' grain factory, which works out
/// the interface's type id by reflection on every call, as the reference, against <see cref="PlayerGrainReferences"/>.
/// A local silo supplies the factory and the cluster manifest; no grain is called.
/// </summary>
[MemoryDiagnoser]
public class GrainReferenceBenchmarks
{
    private readonly Guid _player = Guid.NewGuid();
    private IHost _silo = null!;
    private IGrainFactory _grains = null!;
    private PlayerGrainReferences _references = null!;

    [GlobalSetup]
    public async Task StartSilo()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMatchmakerGrains(builder.Configuration);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort: 11511, gatewayPort: 30511));
        _silo = builder.Build();
        await _silo.StartAsync();
        _grains = _silo.Services.GetRequiredService<IGrainFactory>();
        _references = ActivatorUtilities.CreateInstance<PlayerGrainReferences>(_silo.Services);
    }

    [GlobalCleanup]
    public async Task StopSilo()
    {
        await _silo.StopAsync();
        _silo.Dispose();
    }

    [Benchmark(Baseline = true, Description = "IGrainFactory.GetGrain<IPlayerGrain>(Guid)")]
    public IPlayerGrain GrainFactory() => _grains.GetGrain<IPlayerGrain>(_player);

    [Benchmark(Description = "PlayerGrainReferences.Get (interface type worked out once)")]
    public IPlayerGrain OnceResolved() => _references.Get(_player);
}
