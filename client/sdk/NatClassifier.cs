using System.Net;
using System.Security.Cryptography;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Client;

/// <summary>
/// RFC 5780 §4 behaviour discovery over the client's own socket — the one it will punch from, since
/// mapping behaviour belongs to a socket's flows. Mapping: compare the mapped address seen by the
/// primary address, the alternate address, and the alternate address and port (§4.3). Filtering: ask
/// for answers from the other IP and port, then from the other port only (§4.4), before anything was
/// sent to the alternate address; an answer that never arrives is the finding. Without OTHER-ADDRESS (a one-IP gateway) both stay unknown.
/// Probes the gateway must answer (the first Binding, the mapping tests) retransmit for the whole
/// <paramref name="answerTimeout"/>, so a lossy path is not mistaken for an unreachable gateway; only
/// probes whose silence is the finding stop at the short <paramref name="probeTimeout"/>.
/// </summary>
internal sealed class NatClassifier(ClientTransport transport, IPEndPoint server, TimeSpan probeTimeout, TimeSpan answerTimeout)
{
    public async Task<NatReport> ClassifyAsync(CancellationToken cancellationToken)
    {
        var first = await BindAsync(server, changeIp: false, changePort: false, answerTimeout, cancellationToken)
            ?? throw new MatchmakerException(ProtocolErrors.Unavailable, $"The gateway at {server} did not answer a Binding request.");
        if (first.Other is not { } other)
        {
            return new NatReport(first.Mapped, NatMapping.Unknown, NatFiltering.Unknown, false, false, false);
        }

        // Filtering first: the mapping tests send to the alternate address, and an address-restricted
        // NAT would then let that address's answers in and look endpoint-independent.
        var filtering = await FilteringAsync(cancellationToken);
        var mapping = await MappingAsync(first, other, cancellationToken);
        return new NatReport(first.Mapped, mapping, filtering, false, false, false);
    }

    /// <summary>The mapped address one plain Binding sees; null when none answered or the network is unreachable.</summary>
    public async Task<IPEndPoint?> MappedAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await BindAsync(server, changeIp: false, changePort: false, probeTimeout, cancellationToken))?.Mapped;
        }
        catch (System.Net.Sockets.SocketException)
        {
            // No route (a host without IPv6 asked over IPv6): that is the answer.
            return null;
        }
    }

    private async Task<NatMapping> MappingAsync(BindingAnswer first, IPEndPoint other, CancellationToken cancellationToken)
    {
        var viaAlternateAddress = await BindAsync(new IPEndPoint(other.Address, server.Port), false, false, answerTimeout, cancellationToken);
        if (viaAlternateAddress is null)
        {
            return NatMapping.Unknown;
        }

        if (viaAlternateAddress.Mapped.Equals(first.Mapped))
        {
            return NatMapping.EndpointIndependent;
        }

        var viaAlternateBoth = await BindAsync(other, false, false, answerTimeout, cancellationToken);
        if (viaAlternateBoth is null)
        {
            return NatMapping.Unknown;
        }

        return viaAlternateBoth.Mapped.Equals(viaAlternateAddress.Mapped) ? NatMapping.AddressDependent : NatMapping.AddressAndPortDependent;
    }

    private async Task<NatFiltering> FilteringAsync(CancellationToken cancellationToken)
    {
        if (await BindAsync(server, changeIp: true, changePort: true, probeTimeout, cancellationToken) is not null)
        {
            return NatFiltering.EndpointIndependent;
        }

        return await BindAsync(server, changeIp: false, changePort: true, probeTimeout, cancellationToken) is not null
            ? NatFiltering.AddressDependent
            : NatFiltering.AddressAndPortDependent;
    }

    /// <summary>One Binding transaction; null when no success answer came within <paramref name="timeout"/>.</summary>
    private async Task<BindingAnswer?> BindAsync(IPEndPoint destination, bool changeIp, bool changePort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new byte[64];
        var writer = new StunMessageWriter(request, new StunMessageType(StunMethods.Binding, StunClass.Request), RandomNumberGenerator.GetBytes(StunHeader.TransactionIdLength));
        if (changeIp || changePort)
        {
            writer.AppendChangeRequest(changeIp, changePort);
        }

        writer.AppendFingerprint();
        byte[] answer;
        try
        {
            answer = await transport.RequestAsync(request[..writer.Length], destination, timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }

        return Read(answer);
    }

    private static BindingAnswer? Read(byte[] datagram)
    {
        if (StunMessage.TryParse(datagram, out var message) != StunParseStatus.Ok
            || message.Type.Class != StunClass.SuccessResponse
            || !message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped))
        {
            return null;
        }

        return new BindingAnswer(mapped, message.TryGetMappedAddress(StunAttributeType.OtherAddress, out var other) ? other : null);
    }

    private sealed record BindingAnswer(IPEndPoint Mapped, IPEndPoint? Other);
}
