using SharpFuzz;

namespace Matchmaker.Fuzz;

/// <summary>Runs a target under afl++ (SharpFuzz persistent mode) or over files, outside afl.</summary>
internal static class FuzzHost
{
    private const int MaxInput = 64 * 1024;

    public static int RunUnderAfl(IFuzzTarget target)
    {
        var buffer = new byte[MaxInput];

        // Persistent mode: one process serves many inputs, so the JIT and sockets are paid for once.
        Fuzzer.Run(stream =>
        {
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            target.Run(buffer.AsSpan(0, length));
        });
        return 0;
    }

    public static int Replay(IFuzzTarget target, IEnumerable<string> paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]).Order(StringComparer.Ordinal);
        var failed = 0;
        var ran = 0;
        foreach (var file in files)
        {
            ran++;
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            catch (Exception exception)
            {
                failed++;
                Console.Error.WriteLine($"{file}: {exception}");
            }
        }

        Console.WriteLine($"{target.Name}: {ran} inputs, {failed} threw");
        return failed == 0 ? 0 : 1;
    }
}
