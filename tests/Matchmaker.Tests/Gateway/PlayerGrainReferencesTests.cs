using System.Net;
using Matchmaker.Gateway;
using Matchmaker.Grains;
using Matchmaker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Tests.Gateway;

/// <summary>The gateway's own player references are the ones Orleans' grain factory would give, and reach the same grain.</summary>
[Collection(SiloCollection.Name)]
public sealed class PlayerGrainReferencesTests(SiloFixture silo)
{
    [Fact]
    public void A_reference_names_the_grain_and_interface_that_the_grain_factory_names()
    {
        var references = silo.Services.GetRequiredService<PlayerGrainReferences>();
        var player = Guid.NewGuid();

        var ours = (GrainReference)references.Get(player);
        var orleans = (GrainReference)silo.Grains.GetGrain<IPlayerGrain>(player);

        Assert.Equal(orleans.GrainId, ours.GrainId);
        Assert.Equal(orleans.InterfaceType, ours.InterfaceType);
        Assert.Equal(player, ours.GetPrimaryKey());
    }

    [Fact]
    public async Task A_player_registered_through_the_gateway_is_registered_in_the_grain_the_factory_names()
    {
        using var socket = new RawStunSocket(silo.Gateway, IPAddress.Parse("127.0.22.1"));
        var player = await RawPlayer.RegisterAsync(socket);

        Assert.True((await silo.Grains.GetGrain<IPlayerGrain>(player.Id).GetStatusAsync()).Registered);
    }
}
