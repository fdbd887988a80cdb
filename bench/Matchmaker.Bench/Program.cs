using Matchmaker.Bench.Load;
using Matchmaker.Bench.Micro;
using Matchmaker.Bench.Soak;

return args switch
{
    ["stun-load", .. var rest] => StunLoadCommand.Run(rest),
    ["micro", .. var rest] => MicroCommand.Run(rest),
    ["soak", .. var rest] => SoakCommand.Run(rest),
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
          Matchmaker.Bench soak --server 127.0.0.1:3478 --pid SILO_PID [--metrics URL] [--duration 600] [--players 10000]
                                [--ramp 30] [--sample 10] [--lobby-lifetime 20] [--json]
        """);
    return 2;
}
