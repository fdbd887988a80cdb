using System.CommandLine;

namespace Matchmaker.Cli;

/// <summary>
/// <c>mm</c>: the verbs, flags and <c>--json</c> events here are a public interface that scripts rely on.
/// Add to them; never rename them.
/// </summary>
internal static class MmCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Matchmaker client: host or join a lobby and talk to peers directly through NATs.");
        root.Subcommands.Add(HostCommand.Create());
        root.Subcommands.Add(JoinCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(NatCommand.Create());
        root.Subcommands.Add(QueueCommand.Create());
        return root;
    }
}
