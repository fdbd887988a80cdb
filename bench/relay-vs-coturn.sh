#!/usr/bin/env bash
# Relay forwarding of the Matchmaker relay against coturn (`turnserver`), both on loopback, the same
# flow through each in one run, alternating relay/coturn each round so drift on a shared machine hits
# both alike. The flow is turnutils_uclient's: SESSIONS sessions each send MESSAGES messages of LENGTH
# bytes every INTERVAL_MS ms (0 = as fast as the generator can) to a peer that echoes them back through
# the relay. coturn is driven by turnutils_uclient against turnutils_peer (TURN ChannelData); the
# Matchmaker relay by `Matchmaker.Bench relay-load` (relay data frames), because uclient speaks only TURN.
# Both servers are measured the same way: relayed packets/s (2 per echoed message), loss, round trip,
# and the server's own CPU time per relayed packet (from /proc), which does not depend on the generator.
#
#   bench/relay-vs-coturn.sh                          # 3 rounds, 50 sessions x 1000 msgs x 100 B every 2 ms
#   INTERVAL_MS=0 MESSAGES=2000 bench/relay-vs-coturn.sh   # unpaced: the most each can forward
#   SKIP_BUILD=1 bench/relay-vs-coturn.sh
#
# The Matchmaker relay runs under `Matchmaker.Bench relay-serve`: the product's RelayService, forwarder and
# allocation table with bench-only settings (loopback allowed, no bandwidth cap, no cluster, the node
# secret written to a file so the generator can mint tokens) — never the product's defaults.
# Bounded: at most 5 rounds, every step under `timeout`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-3}
SESSIONS=${SESSIONS:-50}
MESSAGES=${MESSAGES:-1000}
LENGTH=${LENGTH:-100}
INTERVAL_MS=${INTERVAL_MS:-2}
RELAY_PORT=${RELAY_PORT:-3780} COTURN_PORT=${COTURN_PORT:-3880} PEER_PORT=${PEER_PORT:-3890}

die() { echo "relay-vs-coturn: $*" >&2; exit 1; }
[[ $ROUNDS =~ ^[1-5]$ ]] || die "ROUNDS must be 1..5"
((SESSIONS >= 1 && SESSIONS <= 200 && MESSAGES >= 1 && MESSAGES <= 20000)) || die "SESSIONS 1..200, MESSAGES 1..20000"
command -v turnserver >/dev/null && command -v turnutils_uclient >/dev/null || die "coturn is not installed (apt-get install -y coturn)"

WORK=$(mktemp -d /tmp/relay-vs-coturn.XXXXXX)
RELAY_PID= COTURN_PID= PEER_PID=
stop() { [[ -n ${1:-} ]] && kill -TERM "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
cleanup() { stop "$RELAY_PID"; stop "$COTURN_PID"; stop "$PEER_PID"; echo "logs: $WORK"; }
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
dotnet "$BENCH" relay-serve --port "$RELAY_PORT" --secret-file "$WORK/secret" </dev/null >"$WORK/relay.log" 2>&1 &
RELAY_PID=$!
for _ in $(seq 1 100); do [[ -s $WORK/secret ]] && break; sleep 0.1; done
[[ -s $WORK/secret ]] || die "relay-serve did not start: $(cat "$WORK/relay.log")"

echo "== starting coturn on 127.0.0.1:$COTURN_PORT and turnutils_peer on $PEER_PORT"
timeout 1200 turnserver -n --listening-ip 127.0.0.1 --listening-port "$COTURN_PORT" --relay-ip 127.0.0.1 \
    --min-port 56000 --max-port 56999 --allow-loopback-peers --no-tcp --no-tls --no-dtls --no-cli \
    --lt-cred-mech --user bench:bench --realm bench --userdb "$WORK/turndb" --pidfile "$WORK/turn.pid" \
    --log-file "$WORK/turn.log" --no-stdout-log >/dev/null 2>&1 &
COTURN_PID=$!
sleep 0.5
# $! is timeout's pid; CPU is read from turnserver itself.
COTURN_CPU_PID=$(pgrep -P "$COTURN_PID" turnserver)
timeout 1200 turnutils_peer -L 127.0.0.1 -p "$PEER_PORT" >"$WORK/peer.log" 2>&1 &
PEER_PID=$!
sleep 1

printf "%-6s %-11s %12s %8s %12s %10s\n" round server relayed/s loss% rtt_avg_us cpu_us/pkt
for round in $(seq 1 "$ROUNDS"); do
    before=$(cpu_ticks "$RELAY_PID")
    out=$(timeout 120 dotnet "$BENCH" relay-load --relay "127.0.0.1:$RELAY_PORT" --secret-file "$WORK/secret" \
        --sessions "$SESSIONS" --messages "$MESSAGES" --interval-ms "$INTERVAL_MS" --length "$LENGTH")
    after=$(cpu_ticks "$RELAY_PID")
    echo "$out" >>"$WORK/relay-load.log"
    pps=$(sed -E 's/.*relayed_pps=([0-9]+).*/\1/' <<<"$out")
    loss=$(sed -E 's/.*loss_pct=([0-9.]+).*/\1/' <<<"$out")
    rtt=$(sed -E 's/.*rtt_avg_us=([0-9.]+).*/\1/' <<<"$out")
    echoed=$(sed -E 's/.*echoed=([0-9]+).*/\1/' <<<"$out")
    cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$echoed" 'BEGIN { printf "%.2f", (n > 0 ? t / hz * 1e6 / (2 * n) : 0) }')
    printf "%-6s %-11s %12s %8s %12s %10s\n" "$round" matchmaker "$pps" "$loss" "$rtt" "$cpu"
    echo "$round matchmaker $pps $loss $rtt $cpu" >>"$WORK/results"

    before=$(cpu_ticks "$COTURN_CPU_PID")
    start=$(date +%s.%N)
    out=$(timeout 120 turnutils_uclient -u bench -w bench -e 127.0.0.1 -r "$PEER_PORT" -m "$SESSIONS" -n "$MESSAGES" \
        -l "$LENGTH" -z "$INTERVAL_MS" -c -p "$COTURN_PORT" 127.0.0.1 2>&1 | tail -6)
    end=$(date +%s.%N)
    after=$(cpu_ticks "$COTURN_CPU_PID")
    echo "$out" >>"$WORK/uclient.log"
    received=$(grep -oE 'tot_recv_msgs=[0-9]+' <<<"$out" | tail -1 | cut -d= -f2)
    loss=$(grep -oE 'Total lost packets [0-9]+ \(([0-9.]+)%' <<<"$out" | sed -E 's/.*\(([0-9.]+)%/\1/')
    rtt=$(grep -oE 'Average round trip delay [0-9.]+' <<<"$out" | awk '{printf "%.1f", $5 * 1000}')
    # uclient's wall time includes its allocations (about 1 s here); its own "transmit time" is whole seconds.
    pps=$(awk -v n="$received" -v s="$start" -v e="$end" 'BEGIN { printf "%d", 2 * n / (e - s) }')
    cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$received" 'BEGIN { printf "%.2f", (n > 0 ? t / hz * 1e6 / (2 * n) : 0) }')
    printf "%-6s %-11s %12s %8s %12s %10s\n" "$round" coturn "$pps" "${loss:-?}" "$rtt" "$cpu"
    echo "$round coturn $pps ${loss:-0} $rtt $cpu" >>"$WORK/results"
done

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for server in matchmaker coturn; do
    pps=$(awk -v s=$server '$2 == s { print $3 }' "$WORK/results" | median)
    cpu=$(awk -v s=$server '$2 == s { print $6 }' "$WORK/results" | median)
    rtt=$(awk -v s=$server '$2 == s { print $5 }' "$WORK/results" | median)
    echo "$server median: $pps relayed/s, round trip $rtt us (mean), $cpu us CPU per relayed packet"
    eval "${server}_pps=$pps ${server}_cpu=$cpu"
done
awk -v a="$matchmaker_pps" -v b="$coturn_pps" -v c="$matchmaker_cpu" -v d="$coturn_cpu" \
    'BEGIN { printf "ratio matchmaker/coturn: %.2f relayed/s, %.2f CPU per packet (lower is better)\n", a / b, c / d }'
echo "settings: sessions=$SESSIONS messages=$MESSAGES length=$LENGTH interval_ms=$INTERVAL_MS rounds=$ROUNDS cpus=$(nproc)"
