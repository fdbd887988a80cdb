namespace Matchmaker.Protocol.Control;

/// <summary>Sizes and bounds both ends enforce.</summary>
public static class ProtocolLimits
{
    /// <summary>Stays under the IPv6 minimum MTU (1280) minus headers, so nothing fragments.</summary>
    public const int MaxDatagram = 1200;

    public const int MaxLobbyNameBytes = 64;
    public const int MinPlayers = 2;
    public const int MaxPlayers = 16;
    public const int MaxLanEndpoints = 4;
    public const int MaxListedLobbies = 16;

    /// <summary>RFC 9000 §8.1: never send more than three times what an unproven source sent.</summary>
    public const int AmplificationFactor = 3;

    /// <summary>The first Register is padded to this, so the cookie challenge fits the 3× budget with room.</summary>
    public const int RegisterPaddedLength = 128;

    public const int SecretLength = 32;
}
