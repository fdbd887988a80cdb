using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Matchmaker.Protocol.Crypto;

namespace Matchmaker.Bench.Micro;

/// <summary>
/// HMAC-SHA256 of a heartbeat-sized input (the bytes a MESSAGE-INTEGRITY-SHA256 covers): the library's one-shot call,
/// which creates and keys an OpenSSL context each time, as the reference, against <see cref="HmacSha256"/>.
/// </summary>
[MemoryDiagnoser]
public class HmacBenchmarks
{
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _input = new byte[76];
    private readonly byte[] _mac = new byte[HmacSha256.HashLength];

    [GlobalSetup]
    public void Setup()
    {
        RandomNumberGenerator.Fill(_key);
        RandomNumberGenerator.Fill(_input);
    }

    [Benchmark(Baseline = true, Description = "HMACSHA256.HashData (one-shot)")]
    public int LibraryOneShot() => HMACSHA256.HashData(_key, _input, _mac);

    [Benchmark(Description = "HmacSha256.Compute (per-thread context)")]
    public byte PerThreadContext()
    {
        HmacSha256.Compute(_key, _input, _mac);
        return _mac[0];
    }
}
