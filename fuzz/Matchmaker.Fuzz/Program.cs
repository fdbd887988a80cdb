using Matchmaker.Fuzz;

// Verbs (see fuzz/README.md):
//   run TARGET            afl++ persistent-mode harness (started by fuzz.sh under afl-fuzz)
//   replay TARGET PATH..  runs files or folders through TARGET in-process; exit 1 if any throws
//   seeds DIR             writes every target's seeds to DIR/TARGET/NAME
//   list                  prints the target names
if (args is ["list"])
{
    foreach (var target in FuzzTargets.All)
    {
        Console.WriteLine(target.Name);
    }

    return 0;
}

if (args is ["seeds", var seedRoot])
{
    foreach (var target in FuzzTargets.All)
    {
        var folder = Directory.CreateDirectory(Path.Combine(seedRoot, target.Name));
        foreach (var (name, datagram) in target.Seeds())
        {
            File.WriteAllBytes(Path.Combine(folder.FullName, name), datagram);
        }
    }

    return 0;
}

if (args is [var verb, var targetName, .. var paths] && verb is "run" or "replay" && FuzzTargets.Find(targetName) is { } chosen)
{
    return verb == "run" ? FuzzHost.RunUnderAfl(chosen) : FuzzHost.Replay(chosen, paths);
}

Console.Error.WriteLine("usage: Matchmaker.Fuzz (list | seeds DIR | run TARGET | replay TARGET PATH...)");
Console.Error.WriteLine($"targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
return 2;
