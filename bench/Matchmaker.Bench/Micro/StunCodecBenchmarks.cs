using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Bench.Micro;

/// <summary>
/// The two codec steps the gateway runs for every STUN Binding request: parse the request (with the
/// FINGERPRINT check the router does), and write the success response. Both must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class StunCodecBenchmarks
{
    private static readonly StunMessageType BindingRequest = new(StunMethods.Binding, StunClass.Request);
    private static readonly StunMessageType BindingSuccess = new(StunMethods.Binding, StunClass.SuccessResponse);

    private readonly byte[] _request = new byte[64];
    private readonly byte[] _response = new byte[1500];
    private readonly byte[] _transactionId = new byte[StunHeader.TransactionIdLength];
    private readonly byte[] _mappedAddress = [203, 0, 113, 7];
    private int _requestLength;

    [GlobalSetup]
    public void Setup()
    {
        RandomNumberGenerator.Fill(_transactionId);
        var writer = new StunMessageWriter(_request, BindingRequest, _transactionId);
        writer.AppendFingerprint();
        _requestLength = writer.Length;
    }

    [Benchmark(Description = "Parse Binding request")]
    public bool ParseBindingRequest() =>
        StunMessage.TryParse(_request.AsSpan(0, _requestLength), out var message) == StunParseStatus.Ok
        && message.Type == BindingRequest;

    [Benchmark(Description = "Parse Binding request + check FINGERPRINT")]
    public bool ParseBindingRequestWithFingerprint() =>
        StunMessage.TryParse(_request.AsSpan(0, _requestLength), out var message) == StunParseStatus.Ok
        && message.Type == BindingRequest
        && message.FingerprintIsValidOrAbsent();

    [Benchmark(Description = "Write Binding success (XOR-MAPPED-ADDRESS + FINGERPRINT)")]
    public int WriteBindingSuccess()
    {
        var writer = new StunMessageWriter(_response, BindingSuccess, _transactionId);
        writer.AppendXorAddress(StunAttributeType.XorMappedAddress, _mappedAddress, 54321);
        writer.AppendFingerprint();
        return writer.Length;
    }
}
