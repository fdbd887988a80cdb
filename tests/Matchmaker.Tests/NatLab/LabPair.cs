using Matchmaker.Tests.EndToEnd;

namespace Matchmaker.Tests.NatLab;

/// <summary>One lobby host/join between two lab hosts, run with the real <c>mm</c> CLI inside their namespaces.</summary>
internal static class LabPair
{
    private const int Attempts = 10;

    /// <summary>The connection plan from theory (DESIGN.md order), stated independently of the planner's code.</summary>
    public static string Expected(string host, string join)
    {
        if (host.StartsWith("hairpin", StringComparison.Ordinal))
        {
            return "lan";
        }

        var cones = new[] { "public", "full-cone", "addr-restricted" };
        if (host == "symmetric" || join == "symmetric")
        {
            var other = host == "symmetric" ? join : host;
            return cones.Contains(other) ? "cone-to-symmetric" : "relay-required";
        }

        return "direct";
    }

    /// <summary>
    /// Hosts, joins, and sends a line each way; returns the method both sides report, or the join's error
    /// code. On a lossy path (<paramref name="resend"/>) a line that does not arrive is typed again, as a
    /// game resends what it needs delivered: the peer protocol carries datagrams, not a stream.
    /// </summary>
    public static async Task<string> RunAsync(NatLabFixture lab, string host, string join, bool resend = false)
    {
        await using var hosting = CliProcess.StartWrapped(lab.In(host), "host", "--server", lab.Gateway, "--name", $"{host} hosts", "--max-players", "2", "--json");
        var code = (await hosting.WaitForEventAsync("lobby")).GetProperty("code").GetString()!;
        await using var joining = CliProcess.StartWrapped(lab.In(join), "join", code, "--server", lab.Gateway, "--json");
        var first = await joining.WaitForEventAsync(["connected", "error"]);
        if (first.GetProperty("event").GetString() == "error")
        {
            return first.GetProperty("code").GetString()!;
        }

        var method = first.GetProperty("method").GetString()!;
        var hostSide = await hosting.WaitForEventAsync("connected");
        var atJoiner = await DeliverAsync(hosting, joining, $"from {host}", resend);
        var atHost = await DeliverAsync(joining, hosting, $"from {join}", resend);
        return atJoiner == $"from {host}" && atHost == $"from {join}" && hostSide.GetProperty("method").GetString() == method
            ? method
            : $"{method} (messages: '{atJoiner}', '{atHost}')";
    }

    private static async Task<string?> DeliverAsync(CliProcess from, CliProcess to, string line, bool resend)
    {
        for (var attempt = 1; ; attempt++)
        {
            await from.SendLineAsync(line);
            try
            {
                return (await to.WaitForEventAsync("message", resend ? TimeSpan.FromSeconds(3) : null)).GetProperty("text").GetString();
            }
            catch (TimeoutException) when (resend && attempt < Attempts)
            {
                // Lost on the way; type it again.
            }
        }
    }
}
