using Matchmaker.Bench.JoinLatency;
using Matchmaker.Bench.Load;
using Matchmaker.Bench.Micro;

return args switch
{
    ["stun-load", .. var rest] => StunLoadCommand.Run(rest),
    ["micro", .. var rest] => MicroCommand.Run(rest),
    ["join-latency", .. var rest] => await JoinLatencyCommand.RunAsync(rest),
    ["join-latency-peer", .. var rest] => await JoinLatencyPeer.RunAsync(rest),
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
          Matchmaker.Bench join-latency --natlab tests/natlab/natlab.sh --server IP:PORT
                                        --pairs HOST:JOINER[,HOST:JOINER...] [--count 200]
          Matchmaker.Bench join-latency-peer --role host|join --server IP:PORT   (run by join-latency)
        """);
    return 2;
}
