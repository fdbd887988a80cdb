using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Bench.Micro;

/// <summary>
/// MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6) on a control-sized message: the per-request cost of every
/// authenticated request the gateway verifies and every push it signs.
/// </summary>
[MemoryDiagnoser]
public class MessageIntegrityBenchmarks
{
    private static readonly StunMessageType Heartbeat = new(StunMethods.Heartbeat, StunClass.Request);

    private readonly byte[] _key = new byte[32];
    private readonly byte[] _playerId = new byte[16];
    private readonly byte[] _transactionId = new byte[StunHeader.TransactionIdLength];
    private readonly byte[] _buffer = new byte[1500];
    private readonly byte[] _signed = new byte[1500];
    private int _signedLength;

    [GlobalSetup]
    public void Setup()
    {
        RandomNumberGenerator.Fill(_key);
        RandomNumberGenerator.Fill(_playerId);
        RandomNumberGenerator.Fill(_transactionId);
        _signedLength = Sign(_signed);
    }

    [Benchmark(Description = "Sign (MESSAGE-INTEGRITY-SHA256 + FINGERPRINT)")]
    public int SignSha256() => Sign(_buffer);

    [Benchmark(Description = "Parse + verify MESSAGE-INTEGRITY-SHA256")]
    public bool VerifySha256() =>
        StunMessage.TryParse(_signed.AsSpan(0, _signedLength), out var message) == StunParseStatus.Ok
        && message.HasValidMessageIntegritySha256(_key);

    private int Sign(byte[] buffer)
    {
        var writer = new StunMessageWriter(buffer, Heartbeat, _transactionId);
        writer.Append(StunAttributeType.PlayerId, _playerId);
        writer.AppendMessageIntegritySha256(_key);
        writer.AppendFingerprint();
        return writer.Length;
    }
}
