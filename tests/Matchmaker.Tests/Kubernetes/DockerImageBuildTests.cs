using System.Text.Json;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Kubernetes;

/// <summary>
/// Every image in k8s/docker builds from a clean build context: its build stage, replayed by
/// <see cref="DockerBuildStage"/>, publishes the service, and what the runtime stage copies holds the
/// assembly its ENTRYPOINT runs. A project reference with no COPY for its folder fails here.
/// </summary>
[Collection(DockerBuildCollection.Name)]
public sealed class DockerImageBuildTests
{
    public static TheoryData<string, string> Images => new()
    {
        { "silo", "Matchmaker.Silo.dll" },
        { "gateway", "Matchmaker.Gateway.dll" },
        { "relay", "Matchmaker.Relay.dll" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Image_build_stage_publishes_what_the_runtime_stage_runs(string image, string assembly)
    {
        var dockerfile = Dockerfile.Parse(await File.ReadAllTextAsync(RepositoryRoot.Combine("k8s", "docker", $"{image}.Dockerfile")));
        var runtime = dockerfile.Stages[^1];
        var published = Assert.Single(runtime.All("COPY"), c => c.Words[0] == "--from=build").Words[1];
        var entrypoint = JsonSerializer.Deserialize<string[]>(Assert.Single(runtime.All("ENTRYPOINT")).Arguments) ?? [];
        Assert.Equal(["dotnet", assembly], entrypoint);
        Assert.Contains(runtime.All("USER"), u => u.Arguments == "$APP_UID");

        using var build = new DockerBuildStage();
        var output = build.Map(published);
        await build.RunAsync(dockerfile.Stage("build"), RepositoryRoot.Path, new DockerIgnore(await File.ReadAllTextAsync(RepositoryRoot.Combine(".dockerignore"))));

        Assert.True(File.Exists(Path.Combine(output, assembly)), $"{image}: {published} has no {assembly}");
        Assert.True(File.Exists(Path.Combine(output, Path.ChangeExtension(assembly, ".runtimeconfig.json"))), $"{image}: no runtimeconfig");
    }

    [Fact]
    public void Dockerignore_leaves_out_build_output_anywhere_and_the_test_and_bench_trees_at_the_root()
    {
        var ignore = new DockerIgnore("**/bin/\n**/obj/\ntests/\n");

        Assert.True(ignore.Excludes("silo/bin"));
        Assert.True(ignore.Excludes("grains/Grains/obj"));
        Assert.True(ignore.Excludes("tests"));
        Assert.False(ignore.Excludes("silo/tests"));
        Assert.False(ignore.Excludes("silo/Sql"));
        Assert.Throws<FormatException>(() => new DockerIgnore("*.md\n"));
    }
}
