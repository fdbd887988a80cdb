namespace Matchmaker.Protocol.Control;

/// <summary>How a punch ended, as the PUNCH-OUTCOME attribute carries it. Failures name the SDK's failure slugs.</summary>
public enum PunchOutcome : byte
{
    Connected = 0,

    /// <summary>The punch deadline passed without a probe answered with proof (<c>punch-timeout</c>).</summary>
    PunchTimeout = 1,

    /// <summary>The introduction arrived already expired (<c>introduction-expired</c>).</summary>
    IntroductionExpired = 2,
}
