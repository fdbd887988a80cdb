namespace Matchmaker.Tests.Infrastructure;

/// <summary>One call to a player grain as <see cref="PlayerCallRecorder"/> saw it leave its caller.</summary>
public sealed record PlayerCall(string Method, string Thread, bool PoolThread);
