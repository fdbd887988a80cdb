using Matchmaker.Bench.Control;
using Matchmaker.Bench.Load;
using Matchmaker.Bench.Memory;
using Matchmaker.Bench.Micro;

return args switch
{
    ["stun-load", .. var rest] => StunLoadCommand.Run(rest),
    ["micro", .. var rest] => MicroCommand.Run(rest),
    ["control-load", .. var rest] => ControlLoadCommand.Run(rest),
    ["players-memory", .. var rest] => await PlayersMemoryCommand.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage:
          Matchmaker.Bench stun-load --target 127.0.0.1:3478 [--seconds 10] [--sockets 4] [--window 64]
                                     [--warmup 1] [--timeout-ms 500] [--max-requests 20000000]
                                     [--no-fingerprint] [--label NAME] [--json]
          Matchmaker.Bench micro [BenchmarkDotNet arguments, e.g. --filter *]
          Matchmaker.Bench control-load --target 127.0.0.1:3478 [--op heartbeat|join] [--players 10000] [--sockets 2]
                                        [--window 64] [--seconds 10] [--warmup 1]
          Matchmaker.Bench players-memory [--count 100000] [--grain player|empty]
        """);
    return 2;
}
