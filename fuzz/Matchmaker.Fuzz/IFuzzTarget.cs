namespace Matchmaker.Fuzz;

/// <summary>
/// One decoder under fuzz. <see cref="Run"/> must return normally for every input: an exception that
/// escapes is the crash afl++ records. A new decoder is one more implementation
/// listed in <see cref="FuzzTargets.All"/> plus a seed folder under <c>fuzz/corpus/</c>.
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>Command-line name and corpus folder name.</summary>
    string Name { get; }

    /// <summary>Small, real messages written by the production encoders: the starting corpus.</summary>
    IEnumerable<(string Name, byte[] Datagram)> Seeds();

    void Run(ReadOnlySpan<byte> input);
}
