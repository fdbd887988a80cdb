namespace Matchmaker.Client.Upnp;

/// <summary>
/// An IGD refused or failed an action. <see cref="ErrorCode"/> is the UPnP error code from the SOAP
/// fault (e.g. 718 ConflictInMappingEntry), or 0 when the failure was not a UPnP fault.
/// </summary>
public sealed class UpnpException(int errorCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public const int NoSuchEntryInArray = 714;
    public const int ConflictInMappingEntry = 718;
    public const int OnlyPermanentLeasesSupported = 725;

    public int ErrorCode { get; } = errorCode;
}
