namespace Matchmaker.Relay;

/// <summary>What binding one side of an allocation came to: refused (and why), or the side's handle and remaining life.</summary>
internal readonly record struct RelayBindResult(RelayDropReason? Refused, uint Handle, TimeSpan Remaining)
{
    public static RelayBindResult Refuse(RelayDropReason reason) => new(reason, 0, TimeSpan.Zero);
}
