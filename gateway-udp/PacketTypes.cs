using Matchmaker.Protocol.Stun;

namespace Matchmaker.Gateway;

/// <summary>The fixed <c>type</c> tag values of <c>matchmaker_gateway_packets_total</c>.</summary>
public static class PacketTypes
{
    public const string Invalid = "invalid";
    public const string Binding = "binding";
    public const string PushAck = "push-ack";
    public const string Other = "other";

    public static string ForMethod(ushort method) => method switch
    {
        StunMethods.Binding => Binding,
        StunMethods.Register => "register",
        StunMethods.Heartbeat => "heartbeat",
        StunMethods.Host => "host",
        StunMethods.Join => "join",
        StunMethods.Leave => "leave",
        StunMethods.List => "list",
        _ => Other,
    };
}
