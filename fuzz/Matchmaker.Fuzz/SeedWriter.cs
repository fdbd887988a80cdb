using System.Net;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;

namespace Matchmaker.Fuzz;

/// <summary>Builds seed messages with the production writer.</summary>
internal static class SeedWriter
{
    public delegate void Body(ref StunMessageWriter writer);

    public static IPEndPoint V4 { get; } = IPEndPoint.Parse("198.51.100.7:40001");

    public static IPEndPoint V6 { get; } = IPEndPoint.Parse("[2001:db8::7]:40002");

    public static byte[] Build(ushort method, StunClass cls, ReadOnlySpan<byte> transactionId, Body body)
    {
        var buffer = new byte[ProtocolLimits.MaxDatagram];
        var writer = new StunMessageWriter(buffer, new StunMessageType(method, cls), transactionId);
        body(ref writer);
        return buffer[..writer.Length];
    }
}
