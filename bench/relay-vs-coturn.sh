#!/usr/bin/env bash
# Relay forwarding of the Matchmaker relay against coturn (`turnserver`), both on loopback, in one run,
# alternating relay/coturn each round so drift on a shared machine hits both alike. The flow is
# turnutils_uclient's: SESSIONS sessions each send messages of LENGTH bytes to a peer that echoes them
# back through the relay (two relayed packets per round trip). Three phases (PHASES, default all):
#
#   latency     paced, far below either server's capacity: the same generator (`Matchmaker.Bench
#               relay-load`) drives both servers, Matchmaker data frames to ours and TURN ChannelData
#               (it speaks TURN with --turn) to coturn: round trip mean, p50, p99, p99.9.
#   throughput  the same generator offers RATE_HIGH messages/s to each server: relayed packets/s that
#               came back and loss, with both servers saturated (loss > 0 shows it).
#   uclient     coturn driven by its own tool, turnutils_uclient against turnutils_peer (it reports only
#               a mean round trip), next to relay-load against ours at the same nominal pacing.
#
# Every row also has the server's own CPU time per relayed packet (from /proc), which does not depend
# on the generator. With PIN=1 (the default on 2+ CPUs) each server is pinned to CPU 0 and every
# generator to CPU 1 (taskset), so a server saturates its own core instead of trading CPU with the
# generator, and "relayed/s" in the throughput phase is the server's, not the generator's.
#
#   bench/relay-vs-coturn.sh                                  # 3 rounds of every phase
#   PHASES=latency ROUNDS=5 bench/relay-vs-coturn.sh
#   SKIP_BUILD=1 RATE_HIGH=60000 PHASES=throughput bench/relay-vs-coturn.sh
#
# The Matchmaker relay runs under `Matchmaker.Bench relay-serve`: the product's RelayService, forwarder and
# allocation table with bench-only settings (loopback allowed, no bandwidth cap, no cluster, the node
# secret written to a file so the generator can mint tokens) — never the product's defaults.
# Bounded: at most 5 rounds per phase, every step under `timeout`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-3}
PHASES=${PHASES:-latency throughput uclient}
SESSIONS=${SESSIONS:-10}
LENGTH=${LENGTH:-100}
RATE_LOW=${RATE_LOW:-2000}            # latency phase: messages/s offered in total (4,000 relayed/s)
LATENCY_SECONDS=${LATENCY_SECONDS:-8}
RATE_HIGH=${RATE_HIGH:-40000}         # throughput phase: messages/s offered in total (80,000 relayed/s)
THROUGHPUT_SECONDS=${THROUGHPUT_SECONDS:-5}
MESSAGES=${MESSAGES:-1000}            # uclient phase: per session, every INTERVAL_MS
INTERVAL_MS=${INTERVAL_MS:-5}
RELAY_PORT=${RELAY_PORT:-3780} COTURN_PORT=${COTURN_PORT:-3880} PEER_PORT=${PEER_PORT:-3890}
COTURN_RELAY_PORTS=${COTURN_RELAY_PORTS:-56000-56999}  # coturn's relayed-address ports
PIN=${PIN:-$(( $(nproc) >= 2 ? 1 : 0 ))}
RELAY_LOOPS=${RELAY_LOOPS:-1}         # Relay:ReceiveLoops of the Matchmaker relay (its default; coturn runs its own: a relay thread per CPU)
SERVER_CPU=() GENERATOR_CPU=()
if [[ $PIN == 1 ]]; then SERVER_CPU=(taskset -c 0) GENERATOR_CPU=(taskset -c 1); fi

die() { echo "relay-vs-coturn: $*" >&2; exit 1; }
[[ $ROUNDS =~ ^[1-5]$ ]] || die "ROUNDS must be 1..5"
((SESSIONS >= 1 && SESSIONS <= 200 && MESSAGES >= 1 && MESSAGES <= 20000)) || die "SESSIONS 1..200, MESSAGES 1..20000"
((RATE_LOW >= 100 && RATE_HIGH <= 500000 && LATENCY_SECONDS <= 60 && THROUGHPUT_SECONDS <= 60)) || die "RATE_LOW >= 100, RATE_HIGH <= 500000, phases <= 60 s"
command -v turnserver >/dev/null && command -v turnutils_uclient >/dev/null || die "coturn is not installed (apt-get install -y coturn)"

WORK=$(mktemp -d /tmp/relay-vs-coturn.XXXXXX)
RELAY_PID= COTURN_PID= PEER_PID=
stop() { [[ -n ${1:-} ]] && kill -TERM "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
cleanup() { stop "$RELAY_PID"; stop "$COTURN_PID"; stop "$PEER_PID"; tail -1 "$WORK/relay.log" 2>/dev/null || true; echo "logs: $WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

for port in $RELAY_PORT $COTURN_PORT $PEER_PORT; do
    ss -Hlun "sport = :$port" | grep -q . && die "UDP port $port is already in use"
done

if [[ -z ${SKIP_BUILD:-} ]]; then
    echo "== building Release"
    timeout 400 dotnet build -c Release "$ROOT/bench/Matchmaker.Bench/Matchmaker.Bench.csproj" -nologo -v q >"$WORK/build.log" 2>&1 \
        || { tail -30 "$WORK/build.log"; die "bench build failed"; }
fi
BENCH=$ROOT/bench/Matchmaker.Bench/bin/Release/net10.0/Matchmaker.Bench.dll

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

echo "== starting Matchmaker relay (bench host) on 127.0.0.1:$RELAY_PORT"
"${SERVER_CPU[@]}" dotnet "$BENCH" relay-serve --port "$RELAY_PORT" --secret-file "$WORK/secret" --receive-loops "$RELAY_LOOPS" </dev/null >"$WORK/relay.log" 2>&1 &
RELAY_PID=$!
for _ in $(seq 1 100); do [[ -s $WORK/secret ]] && break; sleep 0.1; done
[[ -s $WORK/secret ]] || die "relay-serve did not start: $(cat "$WORK/relay.log")"

echo "== starting coturn on 127.0.0.1:$COTURN_PORT and turnutils_peer on $PEER_PORT"
"${SERVER_CPU[@]}" timeout 1200 turnserver -n --listening-ip 127.0.0.1 --listening-port "$COTURN_PORT" --relay-ip 127.0.0.1 \
    --min-port "${COTURN_RELAY_PORTS%-*}" --max-port "${COTURN_RELAY_PORTS#*-}" --allow-loopback-peers --no-tcp --no-tls --no-dtls --no-cli \
    --lt-cred-mech --user bench:bench --realm bench --userdb "$WORK/turndb" --pidfile "$WORK/turn.pid" \
    --log-file "$WORK/turn.log" --no-stdout-log >/dev/null 2>&1 &
COTURN_PID=$!
sleep 0.5
# $! is timeout's pid; CPU is read from turnserver itself.
COTURN_CPU_PID=$(pgrep -P "$COTURN_PID" turnserver)
"${GENERATOR_CPU[@]}" timeout 1200 turnutils_peer -L 127.0.0.1 -p "$PEER_PORT" >"$WORK/peer.log" 2>&1 &
PEER_PID=$!
sleep 1

# One relay-load run against one server: a row of the phase's table, and a line in $WORK/results.
load() { # phase round server rate seconds
    local phase=$1 round=$2 server=$3 rate=$4 seconds=$5 pid args out
    local messages=$(( (rate * seconds + SESSIONS - 1) / SESSIONS ))
    if [[ $server == matchmaker ]]; then
        pid=$RELAY_PID args=(--relay "127.0.0.1:$RELAY_PORT" --secret-file "$WORK/secret")
    else
        pid=$COTURN_CPU_PID args=(--relay "127.0.0.1:$COTURN_PORT" --turn bench:bench)
    fi
    local before after
    before=$(cpu_ticks "$pid")
    out=$("${GENERATOR_CPU[@]}" timeout 120 dotnet "$BENCH" relay-load "${args[@]}" --sessions "$SESSIONS" --messages "$messages" \
        --rate "$rate" --length "$LENGTH" || true)
    [[ $out == *relayed_pps=* ]] || { echo "$phase $round $server: relay-load failed: $out" >&2; return 0; }
    after=$(cpu_ticks "$pid")
    echo "$phase $round $out" >>"$WORK/relay-load.log"
    field() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<<" $out"; }
    local echoed cpu
    echoed=$(field echoed)
    # Server CPU over the whole run, warm-up included, per relayed packet of the whole run (warm-up is half a second of the same flow).
    cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$echoed" -v w="$(field warmup)" 'BEGIN { printf "%.2f", (n > 0 ? t / hz * 1e6 / (2 * (n + w)) : 0) }')
    printf "%-10s %-5s %-10s %10s %10s %7s %9s %9s %9s %9s %8s\n" "$phase" "$round" "$server" "$(field offered_pps)" "$(field relayed_pps)" \
        "$(field loss_pct)" "$(field rtt_avg_us)" "$(field rtt_p50_us)" "$(field rtt_p99_us)" "$(field rtt_p999_us)" "$cpu"
    echo "$phase $server $(field relayed_pps) $(field loss_pct) $(field rtt_avg_us) $cpu $(field rtt_p50_us) $(field rtt_p99_us)" >>"$WORK/results"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
col() { awk -v p="$1" -v s="$2" -v c="$3" '$1 == p && $2 == s { print $c }' "$WORK/results" | median; }

printf "%-10s %-5s %-10s %10s %10s %7s %9s %9s %9s %9s %8s\n" phase round server offered/s relayed/s loss% rtt_avg rtt_p50 rtt_p99 rtt_p999 cpu_us/pkt
for phase in $PHASES; do
    for round in $(seq 1 "$ROUNDS"); do
        case $phase in
        latency) load latency "$round" matchmaker "$RATE_LOW" "$LATENCY_SECONDS"; load latency "$round" coturn "$RATE_LOW" "$LATENCY_SECONDS" ;;
        throughput) load throughput "$round" matchmaker "$RATE_HIGH" "$THROUGHPUT_SECONDS"; load throughput "$round" coturn "$RATE_HIGH" "$THROUGHPUT_SECONDS" ;;
        uclient)
            load uclient "$round" matchmaker $((SESSIONS * 1000 / INTERVAL_MS)) $((MESSAGES * INTERVAL_MS / 1000))
            before=$(cpu_ticks "$COTURN_CPU_PID")
            start=$(date +%s.%N)
            out=$("${GENERATOR_CPU[@]}" timeout 120 turnutils_uclient -u bench -w bench -e 127.0.0.1 -r "$PEER_PORT" -m "$SESSIONS" -n "$MESSAGES" \
                -l "$LENGTH" -z "$INTERVAL_MS" -c -p "$COTURN_PORT" 127.0.0.1 2>&1 | tail -6 || true)
            end=$(date +%s.%N)
            after=$(cpu_ticks "$COTURN_CPU_PID")
            echo "$out" >>"$WORK/uclient.log"
            # uclient that timed out prints no totals: the round then shows 0 received rather than ending the run.
            received=$(grep -oE 'tot_recv_msgs=[0-9]+' <<<"$out" | tail -1 | cut -d= -f2 || true)
            loss=$(grep -oE 'Total lost packets [0-9]+ \(([0-9.]+)%' <<<"$out" | sed -E 's/.*\(([0-9.]+)%/\1/' || true)
            rtt=$(grep -oE 'Average round trip delay [0-9.]+' <<<"$out" | awk '{printf "%.1f", $5 * 1000}' || true)
            # uclient's wall time includes its allocations (about 1 s here); its own "transmit time" is whole seconds.
            pps=$(awk -v n="${received:-0}" -v s="$start" -v e="$end" 'BEGIN { printf "%d", 2 * n / (e - s) }')
            cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="${received:-0}" 'BEGIN { printf "%.2f", (n > 0 ? t / hz * 1e6 / (2 * n) : 0) }')
            printf "%-10s %-5s %-10s %10s %10s %7s %9s %9s %9s %9s %8s\n" uclient "$round" coturn-uc "$((2 * SESSIONS * 1000 / INTERVAL_MS))" "$pps" "${loss:-?}" "$rtt" - - - "$cpu"
            echo "uclient coturn-uc $pps ${loss:-0} $rtt $cpu - -" >>"$WORK/results"
            ;;
        *) die "unknown phase $phase" ;;
        esac
    done
done

echo
for phase in $PHASES; do
    other=coturn
    [[ $phase == uclient ]] && other=coturn-uc
    for server in matchmaker $other; do
        echo "$phase $server median: $(col "$phase" "$server" 3) relayed/s, loss $(col "$phase" "$server" 4) %," \
            "round trip mean $(col "$phase" "$server" 5) us, p50 $(col "$phase" "$server" 7) us, p99 $(col "$phase" "$server" 8) us," \
            "$(col "$phase" "$server" 6) us CPU per relayed packet"
    done
    awk -v a="$(col "$phase" matchmaker 3)" -v b="$(col "$phase" "$other" 3)" -v c="$(col "$phase" matchmaker 6)" -v d="$(col "$phase" "$other" 6)" \
        -v r="$(col "$phase" matchmaker 5)" -v q="$(col "$phase" "$other" 5)" -v ph="$phase" \
        'BEGIN { printf "%s ratio matchmaker/%s: %.2f relayed/s (higher is better), %.2f mean round trip, %.2f CPU per packet (lower is better)\n", ph, "coturn", a / b, r / q, c / d }'
done
echo "settings: phases='$PHASES' sessions=$SESSIONS length=$LENGTH rate_low=$RATE_LOW x ${LATENCY_SECONDS}s rate_high=$RATE_HIGH x ${THROUGHPUT_SECONDS}s uclient=${MESSAGES}x${INTERVAL_MS}ms rounds=$ROUNDS cpus=$(nproc) pin=$PIN relay_loops=$RELAY_LOOPS load: $(cut -d' ' -f1-3 /proc/loadavg)"
