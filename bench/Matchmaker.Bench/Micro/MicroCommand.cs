using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Matchmaker.Bench.Micro;

/// <summary>
/// <c>micro</c>: the codec micro-benchmarks. They run in-process by default: on a 2-core machine a
/// separately generated and built benchmark project costs minutes and measures the same code. Any
/// BenchmarkDotNet argument (<c>--filter</c>, <c>--job short</c>, …) is passed through.
/// </summary>
internal static class MicroCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroCommand).Assembly).Run(args.ToArray(), config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
