using System.Xml;
using System.Xml.Linq;

namespace Matchmaker.Client.Upnp;

/// <summary>
/// Reads an IGD's XML (descriptions and SOAP answers) defensively: anything on the LAN may answer SSDP,
/// so documents are size-capped and DTDs refused (no entity expansion, no external fetches).
/// </summary>
internal static class UpnpXml
{
    public const int MaxDocumentBytes = 64 * 1024;

    public static async Task<XDocument> LoadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxDocumentBytes];
        var length = 0;
        await using (var stream = await content.ReadAsStreamAsync(cancellationToken))
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    throw new XmlException($"The IGD sent more than {MaxDocumentBytes} bytes of XML.");
                }
            }
        }

        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, Async = true };
        using var reader = XmlReader.Create(new MemoryStream(buffer, 0, length), settings);
        return await XDocument.LoadAsync(reader, LoadOptions.None, cancellationToken);
    }
}
