using Matchmaker.Bench.Control;
using Matchmaker.Bench.Heap;
using Matchmaker.Bench.JoinLatency;
using Matchmaker.Bench.Load;
using Matchmaker.Bench.Memory;
using Matchmaker.Bench.Micro;
using Matchmaker.Bench.Queue;
using Matchmaker.Bench.Relay;
using Matchmaker.Bench.Soak;

return args switch
{
    ["stun-load", .. var rest] => StunLoadCommand.Run(rest),
    ["micro", .. var rest] => MicroCommand.Run(rest),
    ["relay-serve", .. var rest] => await RelayServeCommand.RunAsync(rest),
    ["relay-load", .. var rest] => RelayLoadCommand.Run(rest),
    ["queue-load", .. var rest] => QueueLoadCommand.Run(rest),
    ["queue-matcher", .. var rest] => MatcherLoadCommand.Run(rest),
    ["control-load", .. var rest] => ControlLoadCommand.Run(rest),
    ["players-memory", .. var rest] => await PlayersMemoryCommand.RunAsync(rest),
    ["join-latency", .. var rest] => await JoinLatencyCommand.RunAsync(rest),
    ["join-latency-peer", .. var rest] => await JoinLatencyPeer.RunAsync(rest),
    ["soak", .. var rest] => SoakCommand.Run(rest),
    ["heap-types", .. var rest] => await HeapTypesCommand.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage:
          Matchmaker.Bench stun-load --target 127.0.0.1:3478 [--seconds 10] [--sockets 4] [--window 64]
                                     [--warmup 1] [--timeout-ms 500] [--max-requests 20000000]
                                     [--no-fingerprint] [--label NAME] [--json]
          Matchmaker.Bench queue-load [--rate 1000] [--seconds 10] [--drain 3] [--regions 4] [--size 2]
                                      [--symmetric 0.10] [--unsharded] [--silo-port 5601] [--seed 42]
                                      [--label NAME] [--json]
          Matchmaker.Bench queue-matcher [--tickets 1000000]
          Matchmaker.Bench micro [BenchmarkDotNet arguments, e.g. --filter *]
          Matchmaker.Bench relay-serve --port P --secret-file FILE [--receive-loops 0]   (bench-only relay: loopback allowed, no cluster)
          Matchmaker.Bench relay-load --relay 127.0.0.1:P (--secret-file FILE | --turn USER:PASS) [--sessions 50]
                                      [--messages 2000] [--rate MSGS_PER_S | --interval-ms 1] [--length 100] [--warmup-ms 500]
          Matchmaker.Bench control-load --target 127.0.0.1:3478 [--op heartbeat|join] [--players 10000] [--sockets 2]
                                        [--window 64] [--seconds 10] [--warmup 1] [--watch-pids PID[,PID...]]
          Matchmaker.Bench players-memory [--count 100000] [--grain player|empty] [--ipv6]
          Matchmaker.Bench join-latency --natlab tests/natlab/natlab.sh --server IP:PORT
                                        --pairs HOST:JOINER[,HOST:JOINER...] [--count 200]
          Matchmaker.Bench join-latency-peer --role host|join --server IP:PORT   (run by join-latency)
          Matchmaker.Bench soak --server 127.0.0.1:3478 --pid SILO_PID [--metrics URL] [--duration 600] [--players 10000]
                                [--ramp 30] [--sample 10] [--lobby-lifetime 20] [--json]
          Matchmaker.Bench heap-types --pid PID [--metrics URL] [--live] [--save FILE] [--baseline FILE] [--top 30]
                                      [--path TYPE [--path TYPE...]] [--samples 3]
          Matchmaker.Bench heap-types --diff BEFORE.json AFTER.json [--top 30]
        """);
    return 2;
}
